/** What a session holds; stored under the SHA-256 of its token, never the token itself. */
export interface SessionData {
  userId: string;
  username: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Bearer sessions by token hash. Every method rejects with `UnavailableError` when the backing
 * store cannot answer, quickly, never hanging.
 */
export interface SessionStore {
  /** Stores a session for `ttlMs` (absolute: never extended). */
  create(tokenHash: string, data: SessionData, ttlMs: number): Promise<void>;
  get(tokenHash: string): Promise<SessionData | undefined>;
  delete(tokenHash: string): Promise<void>;
  /**
   * Deletes every session of the user (those `create` stored before the call began) and returns
   * how many there were. Each `create` also files its hash under the user's index, which lives as
   * long as the user's longest session.
   */
  deleteAllOf(userId: string): Promise<number>;
}
