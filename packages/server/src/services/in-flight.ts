/**
 * Attempts in progress on this node per key, capped in total and per (key, source): with a
 * per-source cap below the total, one source alone can never take every slot.
 */
export class InFlight {
  readonly #byKey = new Map<string, Map<string, number>>();

  constructor(
    private readonly maxPerKey: number,
    private readonly maxPerSource: number,
  ) {}

  /** Takes a slot, or returns false when none is free for this source. */
  enter(key: string, source: string): boolean {
    const sources = this.#byKey.get(key) ?? new Map<string, number>();
    let total = 0;
    for (const n of sources.values()) total += n;
    const mine = sources.get(source) ?? 0;
    if (total >= this.maxPerKey || mine >= this.maxPerSource) return false;
    sources.set(source, mine + 1);
    this.#byKey.set(key, sources);
    return true;
  }

  /** Frees a slot taken by `enter`; empty entries are dropped so the maps stay small. */
  leave(key: string, source: string): void {
    const sources = this.#byKey.get(key);
    const mine = sources?.get(source);
    if (!sources || mine === undefined) return;
    if (mine > 1) sources.set(source, mine - 1);
    else sources.delete(source);
    if (sources.size === 0) this.#byKey.delete(key);
  }

  /** Keys with attempts in progress (for tests). */
  get size(): number {
    return this.#byKey.size;
  }
}
