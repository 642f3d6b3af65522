import type { Presence } from './presence.js';

/**
 * Which nodes hold live connections of each user: a mark per (user, node) that lapses at its
 * expiry unless renewed, so a node that dies without saying so stops counting after the TTL.
 */
export class MemoryPresence implements Presence {
  /** userId → nodeId → mark expiry (epoch ms). */
  readonly #marks = new Map<string, Map<string, number>>();

  async markOnline(userId: string, nodeId: string, ttlMs: number, now: number): Promise<boolean> {
    const marks = this.#live(userId, now);
    const wasOffline = marks === undefined;
    this.#set(userId, nodeId, now + ttlMs);
    return wasOffline;
  }

  async markOffline(userId: string, nodeId: string, now: number): Promise<boolean> {
    this.#marks.get(userId)?.delete(nodeId);
    return this.#live(userId, now) === undefined;
  }

  async refreshOnline(
    userIds: readonly string[],
    nodeId: string,
    ttlMs: number,
    now: number,
  ): Promise<void> {
    for (const userId of userIds) this.#set(userId, nodeId, now + ttlMs);
  }

  async onlineUsers(userIds: readonly string[], now: number): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.#live(id, now) !== undefined));
  }

  /** Users with any mark held (expired ones included until reclaimed): for tests. */
  size(): number {
    return this.#marks.size;
  }

  reclaim(now: number): void {
    for (const userId of this.#marks.keys()) this.#live(userId, now);
  }

  clear(): void {
    this.#marks.clear();
  }

  #set(userId: string, nodeId: string, expiresAt: number): void {
    const marks = this.#marks.get(userId) ?? new Map<string, number>();
    this.#marks.set(userId, marks);
    marks.set(nodeId, expiresAt);
  }

  /** The user's unexpired marks after dropping lapsed ones; undefined when there are none. */
  #live(userId: string, now: number): Map<string, number> | undefined {
    const marks = this.#marks.get(userId);
    if (!marks) return undefined;
    for (const [nodeId, expiresAt] of marks) if (expiresAt <= now) marks.delete(nodeId);
    if (marks.size > 0) return marks;
    this.#marks.delete(userId);
    return undefined;
  }
}
