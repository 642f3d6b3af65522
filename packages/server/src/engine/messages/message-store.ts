import type { Message } from '@ephemeral-chat/protocol';

/** A message to store; the store assigns `seq` and computes `expiresAt = now + ttl`. */
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
   * send failed. The Redis store checks it against Redis' own clock when the write runs, so a
   * send that a stalled Redis runs late does nothing (clocks assumed in sync, as for expiresAt).
   * Default: the store's own (Redis: a little before the command timeout from the call).
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

/** One member's read state in a room. */
export interface ReadState {
  /** The member's read seq (0 when none). */
  readSeq: number;
  /** The peer's read seq (0 when none). */
  peerReadSeq: number;
  /** Unexpired messages with seq > readSeq: all from the peer (a send moves its sender's read seq). */
  unread: number;
}

/** The outcome of a read mark: the member's read seq after it, and whether it moved. */
export interface MarkResult {
  seq: number;
  moved: boolean;
}

/**
 * Rooms and their messages, each with its TTL. Every method rejects with `UnavailableError`
 * when the backing store cannot answer, quickly, never hanging.
 */
export interface MessageStore {
  /**
   * Stores a message with its TTL and publishes `{"type":"message","message":…}` on the topics
   * `user:<id>` of both members, atomically, in one round trip. `seq` strictly increases per room.
   */
  append(input: AppendInput): Promise<AppendResult>;
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
  /**
   * Raises `member`'s read seq in `room` to `seq`, clamped to the room's latest seq; never lowers
   * it. A room without live messages keeps nothing. Read state lives as long as the room's
   * messages. (`append` also raises the sender's read seq to the new message's seq, atomically.)
   */
  markRead(room: string, member: string, seq: number): Promise<MarkResult>;
  /**
   * `member`'s read state in each room (`peer` the other member), in order. Bounded work per room:
   * a count on the seq index (Redis ZCOUNT), since every message after a member's read seq is
   * the peer's. Prunes the index.
   */
  readStates(
    member: string,
    rooms: readonly { room: string; peer: string }[],
    now: number,
  ): Promise<ReadState[]>;
}
