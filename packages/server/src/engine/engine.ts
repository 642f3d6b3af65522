/** What a session holds; stored under the SHA-256 of its token, never the token itself. */
export interface SessionData {
  userId: string;
  username: string;
  createdAt: number;
  expiresAt: number;
}

/** A fixed-window counter: how many hits in the current window, and when it ends. */
export interface CounterState {
  count: number;
  /** Milliseconds until the window resets (0 when there is no window). */
  resetInMs: number;
}

/**
 * The seam for all ephemeral state (sessions, throttling counters; messages, presence and
 * fan-out join it with the messaging issue). `MemoryEngine` serves one process, `RedisEngine`
 * many nodes. Every method rejects with `UnavailableError` when the backing store cannot answer,
 * quickly, never hanging.
 */
export interface Engine {
  readonly kind: 'memory' | 'redis';
  /** Stores a session for `ttlMs` (absolute: never extended). */
  createSession(tokenHash: string, data: SessionData, ttlMs: number): Promise<void>;
  getSession(tokenHash: string): Promise<SessionData | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Adds one hit to `key`; the window starts at the first hit and lasts `windowMs`. */
  hitCounter(key: string, windowMs: number): Promise<CounterState>;
  peekCounter(key: string): Promise<CounterState>;
  resetCounter(key: string): Promise<void>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
