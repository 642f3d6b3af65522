/** A Map whose entries lapse at their own expiry: dropped lazily on read, or by `reclaim`. */
export class ExpiringMap<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();

  set(key: string, value: T, expiresAt: number): void {
    this.#entries.set(key, { value, expiresAt });
  }

  /** The live entry (value and expiry), dropping it first if it has lapsed. */
  live(key: string, now: number): { value: T; expiresAt: number } | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  reclaim(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
