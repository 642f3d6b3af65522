import type { ChatSettings, Message } from '@ephemeral-chat/protocol';

/**
 * A message to store; the store assigns `seq` and computes `expiresAt = now + ttl`. A 1:1 room's
 * message names its two `members` (live events go to both user topics); a group's (`group: true`)
 * goes once to the room's topic (delivery/topics.ts `roomTopic`), whoever its members are.
 */
export type AppendInput = AppendFields &
  (
    | { members: readonly [string, string]; group?: undefined }
    | { group: true; members?: undefined }
  );

export interface AppendFields {
  room: string;
  from: string;
  text: string;
  ttl: number;
  /** Burn after reading (ms, at most `ttl`): see MessageStore.markRead. */
  burn?: number | undefined;
  clientMsgId: string;
  /** The server's commitment to the message (see services/moderation): stored and sent with it. */
  mac?: string | undefined;
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
  /** The peer's delivered seq, at least their read seq (0 when none). */
  peerDeliveredSeq: number;
  /** Unexpired messages with seq > readSeq: all from the peer (a send moves its sender's read seq). */
  unread: number;
  /**
   * Peer messages that expired before the member read them, since the member's last `markRead`
   * (which acknowledges the count): a count only.
   */
  unseenExpired: number;
}

/** The outcome of a delivered mark: the member's delivered seq after it, and whether it moved. */
export interface MarkResult {
  seq: number;
  moved: boolean;
}

/** A burn that a read started: message `seq` now expires at `expiresAt`. */
export interface Burn {
  seq: number;
  expiresAt: number;
}

/** The outcome of a read mark. */
export interface ReadMark extends MarkResult {
  /** The peer's burn messages this read started burning (at most BURNS_PER_MARK). */
  burned: Burn[];
  /** More burns wait: mark again (same seq) to start them. */
  burnMore: boolean;
  /** The member's unseen-expired count before this read reset it to 0. */
  unseenCleared: number;
}

/** A row of a member's chat list: the newest live message, absent when all have expired. */
export interface ChatRow {
  room: string;
  last?: Message;
}

/**
 * The outcome of an unsend: done, no live message has that seq (never sent, expired, unsent
 * already), or the message is another member's.
 */
export type UnsendResult = 'unsent' | 'not_found' | 'not_sender';

/** A change of a room's settings: a field left out keeps its value, `burn: null` removes it. */
export interface SettingsPatch {
  ttl?: number | undefined;
  burn?: number | null | undefined;
}

/** The outcome of a settings change: refused when the effective burn would pass the effective ttl. */
export type SettingsResult = { ok: true; settings: ChatSettings } | { ok: false };

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
   * The user's rooms: those with a live message (with it as `last`, newest first), then those
   * whose messages have all expired within the last UNSEEN_KEEP_MS while the user was their
   * recipient (no `last`: candidates for an unseen-expired count). At most `limit`.
   */
  listChatRows(userId: string, limit: number, now: number): Promise<ChatRow[]>;
  /**
   * Raises `member`'s read seq in `room` to `seq`, clamped to the room's latest seq; never lowers
   * it. A room without live messages keeps no read seq. (`append` also raises the sender's read
   * seq to the new message's seq, atomically.) Read state outlives the room's messages by
   * UNSEEN_KEEP_MS. Atomically with it:
   * - every peer burn message with seq ≤ the read seq that has not started burning does (at most
   *   BURNS_PER_MARK per call): its expiresAt becomes min(expiresAt, now + burn), everywhere;
   * - the member's unseen-expired count is settled and reset to 0 (any mark acknowledges it).
   * Publishes its events on the members' user topics (`peer`: the room's other member): `read` to
   * both when the seq moved, `unseen` to the member when a count was cleared, `expiry` (no text)
   * to both per burn started.
   */
  markRead(room: string, member: string, peer: string, seq: number, now: number): Promise<ReadMark>;
  /**
   * Raises `member`'s delivered seq in `room` to `seq`, clamped to the room's latest seq; moved
   * only when it passes both the delivered and the read seq (a read counts as delivered). When it
   * moved, publishes the `delivered` event on the peer's user topic.
   */
  markDelivered(room: string, member: string, peer: string, seq: number): Promise<MarkResult>;
  /**
   * Deletes `from`'s live message `seq` of `room` (`peer`: the room's other member), atomically:
   * the message, its index entries, its pending burn, and the peer's unread and unseen-expired
   * accounting of it (so it never counts as expired unseen). Publishes
   * `{"type":"unsent","room":…,"seq":…}` (no text) on both members' user topics. Nothing for
   * `not_found` or `not_sender`. Redis: a call that runs after its caller was told `unavailable`
   * does nothing (a deadline, as for sends).
   */
  unsend(room: string, from: string, peer: string, seq: number, now: number): Promise<UnsendResult>;
  /**
   * unsend in a group room: the same deletion; the `unsent` event goes once to the room's topic
   * (no unseen-expired accounting in groups).
   */
  unsendInGroup(room: string, from: string, seq: number, now: number): Promise<UnsendResult>;
  /**
   * A group read: raises `member`'s read seq as markRead does (no unseen-expired accounting in
   * groups), then starts the burn of every burn message with seq ≤ the lowest read seq among
   * `members` (the group's current members, `member` included: each has read it; at most
   * BURNS_PER_MARK per call, `burnMore` when more wait). Events on the room's topic: `read` when
   * the seq moved, `expiry` (no text) per burn started.
   */
  markGroupRead(
    room: string,
    member: string,
    members: readonly string[],
    seq: number,
    now: number,
  ): Promise<ReadMark>;
  /**
   * New members of a group: each one's read seq becomes the room's latest seq (if higher), so
   * what was sent before they joined is neither unread for them nor waits for their read to burn.
   */
  joinGroup(room: string, members: readonly string[], now: number): Promise<void>;
  /** The read seq of each of `members` in the room, in order (0 when none). Prunes nothing. */
  readSeqs(room: string, members: readonly string[]): Promise<number[]>;
  /** The room's settings (empty when none, or SETTINGS_KEEP_MS after their last change). */
  settings(room: string, now: number): Promise<ChatSettings>;
  /**
   * Changes the room's settings atomically; refused when the effective burn (as patched) would
   * exceed the effective ttl (as patched, else expiry.defaultTtlMs). Kept SETTINGS_KEEP_MS.
   */
  setSettings(room: string, patch: SettingsPatch, now: number): Promise<SettingsResult>;
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
  /**
   * Account deletion: removes every trace of `userId` from the messages. Each 1:1 room of the user
   * goes whole (its messages both ways, read state, settings; every key of it names the user),
   * with an `unsent` event (no text) per message on both members' user topics, and leaves the
   * peer's room index. In each of `groupRooms`, the user's messages go (an `unsent` per message on
   * the room's topic) with the user's read state. Idempotent.
   */
  purgeUser(userId: string, groupRooms: readonly string[], now: number): Promise<PurgeResult>;
}

/** What a purge went through: the user's 1:1 rooms found plus the group rooms given, and the messages removed. */
export interface PurgeResult {
  rooms: number;
  messages: number;
}
