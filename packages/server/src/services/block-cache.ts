export interface BlockCacheOptions {
  /** Pairs kept, at most (least recently used out first). @default 100_000 */
  maxEntries?: number;
  /** An entry is read again after this long, a bound on staleness if a notice was lost. @default 60_000 */
  ttlMs?: number;
}

/**
 * This node's answers to "is there a block between a and b", by unordered pair, invalidated by
 * the `blocks` notices. As in GroupCache, a read that started before an invalidation does not
 * fill the cache, so a notice is never undone by a late read.
 */
export class BlockCache {
  readonly #entries = new Map<string, { blocked: boolean; at: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  #epoch = 0;

  constructor(
    options: BlockCacheOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#ttlMs = options.ttlMs ?? 60_000;
  }

  /** The cached answer if fresh (no lookup): lets the usual send skip an await. */
  peek(key: string): boolean | undefined {
    const hit = this.#entries.get(key);
    return hit && this.now() - hit.at < this.#ttlMs ? hit.blocked : undefined;
  }

  async get(key: string, load: () => Promise<boolean>): Promise<boolean> {
    const hit = this.peek(key);
    if (hit !== undefined) return hit;
    const epoch = this.#epoch;
    const at = this.now();
    const blocked = await load();
    if (epoch === this.#epoch) this.#put(key, blocked, at);
    return blocked;
  }

  invalidate(key: string): void {
    this.#epoch++;
    this.#entries.delete(key);
  }

  /** After the bus link was lost: notices may have been missed. */
  clear(): void {
    this.#epoch++;
    this.#entries.clear();
  }

  #put(key: string, blocked: boolean, at: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { blocked, at });
  }
}

/** The unordered pair's key: the same for (a, b) and (b, a). */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}
