import type { Message } from '@ephemeral-chat/protocol';

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

/** One fixed-window counter that `reserveCounters` checks against its maximum. */
export interface CounterBudget {
  key: string;
  /** The reservation is refused while the count is at or above this. */
  max: number;
  /** The window (started by the first hit) in ms. */
  windowMs: number;
  /** After the hit, the window ends no earlier than the longest window of the other budgets. */
  outlive?: boolean;
}

/** Either every budget was hit once, or none was and `retryInMs` says when one frees up. */
export type Reservation = { ok: true } | { ok: false; retryInMs: number };

/** A message to store; the engine assigns `seq` and computes `expiresAt = now + ttl`. */
export interface AppendInput {
  room: string;
  /** The room's two member ids; live events go to both. */
  members: readonly [string, string];
  from: string;
  text: string;
  ttl: number;
  clientMsgId: string;
  /** Server time at write, epoch ms. */
  now: number;
  /**
   * Epoch ms after which the write must not take effect: past it, the caller has been told the
   * send failed. The Redis engine checks it against Redis' own clock when the write runs, so a
   * send that a stalled Redis runs late does nothing (clocks assumed in sync, as for expiresAt).
   * Default: the engine's own (Redis: a little before the command timeout from the call).
   */
  deadline?: number;
}

export interface AppendResult {
  message: Message;
  /** `message` as stored, serialized: what was published, for callers that forward it as is. */
  json: string;
  /** True when (from, clientMsgId) was already stored: the first message is returned, nothing new is stored or published. */
  duplicate: boolean;
}

/** A page of a room's messages, ascending, and whether more remain in the direction read. */
export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
}

/** Called with each payload published on a subscribed topic, verbatim. */
export type TopicListener = (payload: string) => void;

/**
 * The seam for all ephemeral state (sessions, throttling counters, messages, presence and
 * fan-out between nodes). `MemoryEngine` serves one process, `RedisEngine`
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
  /**
   * Atomically (one step, shared by every node): when every budget is under its `max`, adds one
   * hit to each; otherwise adds nothing. N concurrent callers are counted as N.
   */
  reserveCounters(budgets: readonly CounterBudget[]): Promise<Reservation>;
  /** Takes one hit back (never below zero), keeping the window. */
  refundCounter(key: string): Promise<void>;

  /**
   * Stores a message with its TTL and publishes `{"type":"message","message":…}` on the topics
   * `user:<id>` of both members, atomically, in one round trip. `seq` strictly increases per room.
   */
  appendMessage(input: AppendInput): Promise<AppendResult>;
  /**
   * Unexpired messages with `seq > after`, ascending, at most `limit` and at most `maxBytes` of
   * `JSON.stringify(messages)` (UTF-8) unless the page holds one message; `hasMore` when newer
   * unexpired ones remain. Prunes the index.
   */
  readAfter(
    room: string,
    after: number,
    limit: number,
    now: number,
    maxBytes?: number,
  ): Promise<MessagePage>;
  /**
   * The newest unexpired messages with `seq < before` (all when `before` is undefined), at most
   * `limit` and `maxBytes` as in readAfter, returned ascending; `hasMore` when older unexpired
   * ones remain. Prunes the index.
   */
  readBefore(
    room: string,
    before: number | undefined,
    limit: number,
    now: number,
    maxBytes?: number,
  ): Promise<MessagePage>;
  /** The newest unexpired message of each of the user's rooms, newest first, at most `limit`. */
  listChats(userId: string, limit: number, now: number): Promise<Message[]>;

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

  /** Publishes a payload to every node subscribed to the topic (at most once, may be lost). */
  publish(topic: string, payload: string): Promise<void>;
  /** Receives a topic's payloads on this node; one listener per topic (callers reference-count). */
  subscribe(topic: string, listener: TopicListener): Promise<void>;
  unsubscribe(topic: string): Promise<void>;
  /** Called after the fan-out link was lost and has come back (resubscribed); events may have been missed meanwhile. */
  onResubscribed(listener: () => void): void;

  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
