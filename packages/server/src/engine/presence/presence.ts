/**
 * Which users have live connections on any node: a mark per (user, node) with a TTL. Every
 * method rejects with `UnavailableError` when the backing store cannot answer, quickly.
 */
export interface Presence {
  /** Marks one node's connections of a user live for `ttlMs`; true when the user was offline on every node before. */
  markOnline(userId: string, nodeId: string, ttlMs: number, now: number): Promise<boolean>;
  /** Removes a node's mark; true when the user is now offline on every node. */
  markOffline(userId: string, nodeId: string, now: number): Promise<boolean>;
  /** Renews this node's marks for users it still has connections for. */
  refreshOnline(
    userIds: readonly string[],
    nodeId: string,
    ttlMs: number,
    now: number,
  ): Promise<void>;
  /** Which of these users are online on any node. */
  onlineUsers(userIds: readonly string[], now: number): Promise<Set<string>>;
}
