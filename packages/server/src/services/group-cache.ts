import type { Group } from '@ephemeral-chat/protocol';

export interface GroupCacheOptions {
  /** Groups kept, at most (least recently used out first). @default 10_000 */
  maxEntries?: number;
  /** An entry is read again after this long, a bound on staleness if a notice was lost. @default 60_000 */
  ttlMs?: number;
}

/**
 * This node's copy of groups by room, invalidated by the `groups` notices. A read that started
 * before an invalidation does not fill the cache (it may hold the state before the change), so a
 * notice is never undone by a late read.
 */
export class GroupCache {
  readonly #entries = new Map<string, { group: Group; at: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /** Bumped by every invalidation; a fill stores only if it did not move meanwhile. */
  #epoch = 0;

  constructor(
    options: GroupCacheOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 60_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached group, or `load`'s answer (cached unless an invalidation came meanwhile). */
  async get(room: string, load: () => Promise<Group | undefined>): Promise<Group | undefined> {
    const hit = this.#entries.get(room);
    if (hit && this.now() - hit.at < this.#ttlMs) {
      // Re-insert: the Map's order is the recency order.
      this.#entries.delete(room);
      this.#entries.set(room, hit);
      return hit.group;
    }
    const epoch = this.#epoch;
    const at = this.now();
    const group = await load();
    if (group && epoch === this.#epoch) this.#put(room, group, at);
    else if (!group) this.#entries.delete(room);
    return group;
  }

  invalidate(room: string): void {
    this.#epoch++;
    this.#entries.delete(room);
  }

  /** After the bus link was lost: notices may have been missed. */
  clear(): void {
    this.#epoch++;
    this.#entries.clear();
  }

  #put(room: string, group: Group, at: number): void {
    this.#entries.delete(room);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(room, { group, at });
  }
}
