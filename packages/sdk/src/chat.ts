import type { ChatSettings, SearchResult, ServerFrame } from '@ephemeral-chat/protocol';
import { expiry } from '@ephemeral-chat/protocol/constants';
import type { Clock } from './clock.js';
import type { Connection } from './connection/connection.js';
import { Emitter } from './emitter.js';
import { ChatError } from './errors.js';
import type { ChatEvents, ReadEvent } from './events.js';
import type { ChatMessage } from './message.js';
import type { MessageStore } from './message-store.js';

/** The live events about one chat's state, which both the client and the chat report. */
export type ChatFrame = Extract<
  ServerFrame,
  { type: 'read' | 'delivered' | 'expiry' | 'settings' | 'unseen' | 'unsent' }
>;

/** The other member of a 1:1 chat, with whether they were online when last asked. */
export type Peer = SearchResult;

/**
 * Where one of the user's own messages stands: not stored yet, stored, received by a client of
 * the peer, read by the peer, or expired before the peer read it.
 */
export type MessageState = 'sending' | 'sent' | 'delivered' | 'seen' | 'expired-unseen';

/** What a chat needs from its client. */
export interface ChatContext {
  connection: Connection;
  store: MessageStore;
  clock: Clock;
  defaultTtlMs: number;
  /** Reports a chat's event on the client. */
  emit: (type: ChatFrame['type'], f: ChatFrame) => void;
}

/** One page of older messages, ascending, and whether there are older ones still. */
export interface HistoryPage {
  messages: ChatMessage[];
  hasMore: boolean;
}

/** A chat's receipts and counts, as `opened` and `chats` give them. */
export interface ChatState {
  unread: number;
  peerReadSeq: number;
  peerDeliveredSeq: number;
  unseenExpired: number;
}

/** A chat's state as the client writes it (read-only to apps). */
interface State extends ChatState {
  settings: ChatSettings;
}

/** 12 random bytes as hex: a client message id that makes a retried send idempotent. */
function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const invalid = (what: string): never => {
  throw new ChatError('validation_failed', what);
};

/**
 * A 1:1 chat, from `client.open(username)`. It emits its own events, so a view of one chat need
 * not filter the client's.
 */
export class Chat extends Emitter<ChatEvents> {
  readonly #c: ChatContext;
  /** The user's read seq as far as this client knows (counts what expires unread). */
  #read = 0;
  /**
   * Older unexpired messages remain on the server before the oldest one held: from the last
   * `open` (its first page) or `history()` paging back from the oldest held.
   */
  hasMore = false;
  // Set by `_set` right after construction (`open`), so no initializers (bundle bytes).
  /** Unexpired messages from the peer that the user has not read: from `open`/`chats`, then kept up live. */
  declare readonly unread: number;
  /** The peer's read seq: the user's messages up to it have been seen. */
  declare readonly peerReadSeq: number;
  /** The highest seq a client of the peer received: the user's messages up to it were delivered. */
  declare readonly peerDeliveredSeq: number;
  /** The peer's messages that expired before the user read them, since the user's last read. */
  declare readonly unseenExpired: number;
  /** The chat's defaults for new messages (`ttl`, `burn`); empty: the protocol's defaults. */
  declare readonly settings: ChatSettings;

  constructor(
    /** The room id (`dm:<id>:<id>`). */
    readonly room: string,
    /** The other member, as of the last `open`. */
    public peer: Peer,
    context: ChatContext,
  ) {
    super();
    this.#c = context;
    (this as State).settings = {};
    context.store.listen(room, {
      message: (m) => {
        // A message from the peer is unread; one's own reads the chat (as on the server).
        if (m.from === this.peer.id) (this as State).unread++;
        else {
          (this as State).unread = 0;
          this.#read = Math.max(this.#read, m.seq);
        }
        this.emit('message', m);
      },
      expired: (m) => {
        // The peer's message expired unread: one fewer unread, one more lost unseen.
        if (m.from === this.peer.id && m.seq > this.#read) {
          (this as State).unread = Math.max(0, this.unread - 1);
          this._on({ type: 'unseen', room, unseenExpired: this.unseenExpired + 1 });
        }
        this.emit('expired', m);
      },
    });
  }

  /** @internal Receipts and counts from an `opened` or `chats` reply (`settings`: `opened`). */
  _set(s: ChatState & { settings?: ChatSettings }): void {
    Object.assign(this, {
      unread: s.unread,
      peerReadSeq: s.peerReadSeq,
      peerDeliveredSeq: Math.max(s.peerDeliveredSeq, s.peerReadSeq),
      unseenExpired: s.unseenExpired,
    });
    if (s.settings) (this as State).settings = s.settings;
    // The unread messages are the newest held ones (sending reads the chat): read is just before.
    const held = this.messages();
    const i = held.length - s.unread;
    this.#read = i > 0 ? (held[i - 1]?.seq ?? 0) : (held[0]?.seq ?? 1) - 1;
  }

  /** @internal A read by either member (a `read` event, or the reply to `markRead`). */
  _read(e: ReadEvent): void {
    if (e.userId === this.peer.id) {
      (this as State).peerReadSeq = Math.max(this.peerReadSeq, e.seq);
      // A read implies the message reached the peer.
      (this as State).peerDeliveredSeq = Math.max(this.peerDeliveredSeq, e.seq);
    } else {
      this.#read = Math.max(this.#read, e.seq);
      // Counted among the held messages (`open`/`chats` give the server's count); every message
      // after one's read seq is the peer's, as sending reads the chat.
      (this as State).unread = this.messages().filter((m) => m.seq > this.#read).length;
    }
  }

  /**
   * @internal A live event about this chat: the chat's state is updated first, then the
   * client's listeners run, then the chat's. (`expiry`: the store holds the new copy already.)
   */
  _on(f: ChatFrame): void {
    if (f.type === 'read') this._read(f);
    else if (f.type === 'delivered') {
      (this as State).peerDeliveredSeq = Math.max(this.peerDeliveredSeq, f.seq);
    } else if (f.type === 'settings') (this as State).settings = f.settings;
    else if (f.type === 'unseen') (this as State).unseenExpired = f.unseenExpired;
    // Every message after one's read seq is the peer's (sending reads the chat): one fewer unread.
    else if (f.type === 'unsent' && f.seq > this.#read) {
      (this as State).unread = Math.max(0, this.unread - 1);
    }
    this.#c.emit(f.type, f);
    (this.emit as (type: string, f: ChatFrame) => void)(f.type, f);
  }

  /**
   * Marks the chat read up to `seq` (default: the newest message held) on every device of the
   * user, and tells the peer. Resolves with the read seq, which never goes backwards. Call it for
   * what the user has actually seen: a message sent with `burn` starts burning when it is read.
   */
  async markRead(seq = this.messages().at(-1)?.seq ?? 0): Promise<number> {
    const r = await this.#c.connection.request({ type: 'read', room: this.room, seq });
    // Its event follows (to every connection of the user), and reports it.
    this._read(r);
    return r.seq;
  }

  /**
   * Where one of the user's own messages stands (`sending` for one without a `seq` yet): `seen`
   * up to `peerReadSeq`, else `expired-unseen` past its `expiresAt`, else `delivered` up to
   * `peerDeliveredSeq`, else `sent`.
   */
  stateOf(message: { seq?: number; expiresAt?: number }): MessageState {
    const seq = message.seq;
    if (seq === undefined) return 'sending';
    if (seq <= this.peerReadSeq) return 'seen';
    if ((message.expiresAt ?? Infinity) <= this.#c.clock.now()) {
      return 'expired-unseen';
    }
    return seq <= this.peerDeliveredSeq ? 'delivered' : 'sent';
  }

  /** Unexpired messages held for this chat, ascending by seq (live, opened and paged ones). */
  messages(): ChatMessage[] {
    return this.#c.store.list(this.room);
  }

  /**
   * Sends `text`, kept for `ttl` ms and, with `burn`, for at most `burn` ms once the peer has
   * read it. Both default to the chat's `settings` (`ttl` else `defaultTtlMs`; a `ttl` given
   * without `burn` means no burn). Resolves with the stored message. While reconnecting it waits
   * and is retried with the same client message id, so it lands once; if its ttl runs out first
   * it is dropped and rejects with `expired`.
   */
  async send(text: string, options: { ttl?: number; burn?: number } = {}): Promise<ChatMessage> {
    const s = this.settings;
    const { ttl = s.ttl ?? this.#c.defaultTtlMs, burn = options.ttl ? undefined : s.burn } =
      options;
    // Only what would make it wait in vain; the server checks the rest (message_too_long, a
    // burn out of [expiry.minBurnMs, ttl]: validation_failed).
    if (!text.trim()) invalid('A message cannot be empty.');
    if (!Number.isInteger(ttl) || ttl < expiry.minTtlMs || ttl > expiry.maxTtlMs) {
      invalid(`ttl must be whole ms in [${expiry.minTtlMs}, ${expiry.maxTtlMs}].`);
    }
    const frame = {
      type: 'send',
      room: this.room,
      text,
      ttl,
      ...(burn === undefined ? {} : { burn }),
      clientMsgId: newClientMsgId(),
    } as const;
    const deadline = this.#c.clock.now() + ttl;
    const ack = await this.#c.connection.request(frame, { deadline, code: 'expired' });
    const stored = this.#c.store.acked(ack.message);
    if (!stored) throw new ChatError('expired', 'The message expired before its ack arrived.');
    return stored;
  }

  /**
   * Sets the chat's defaults for new messages, for both members: `ttl`, and `burn` (`null`
   * turns it off). A field left out keeps its value. Resolves with the settings in force; both
   * members get a `settings` event.
   */
  async setSettings(settings: { ttl?: number; burn?: number | null }): Promise<ChatSettings> {
    const r = await this.#c.connection.request({ ...settings, type: 'settings', room: this.room });
    // Its event follows (to both members), and reports it.
    (this as State).settings = r.settings;
    return r.settings;
  }

  /**
   * Unsends the user's own message `seq`: deleted for both members at once. It leaves
   * `messages()` before this resolves; both members get an `unsent` event. Rejects with
   * `forbidden` (the peer's message) or `not_found` (expired, or unsent already: any copy held
   * here is dropped all the same).
   */
  async unsend(seq: number): Promise<void> {
    let missing: ChatError | undefined;
    await this.#c.connection
      .request({ type: 'unsend', room: this.room, seq })
      .catch((e: ChatError) => {
        // Not live on the server (expired, or unsent from a device that missed the event): a
        // copy held here goes too.
        if (e.code !== 'not_found') throw e;
        missing = e;
      });
    if (this.#c.store.unsend(this.room, seq)) this._on({ type: 'unsent', room: this.room, seq });
    if (missing) throw missing;
  }

  /** The page of messages older than `before` (default: the oldest held), at most `limit`. */
  async history(options: { before?: number; limit?: number } = {}): Promise<HistoryPage> {
    const before = options.before ?? this.messages()[0]?.seq;
    const frame = {
      type: 'history',
      room: this.room,
      ...(before === undefined ? {} : { before }),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    } as const;
    const reply = await this.#c.connection.request(frame);
    if (options.before === undefined) this.hasMore = reply.hasMore;
    return {
      messages: this.#c.store.page(this.room, reply.messages, false),
      hasMore: reply.hasMore,
    };
  }

  /** Tells the peer that the user is (or stopped) typing; dropped while not connected. */
  typing(typing: boolean): void {
    this.#c.connection.notify({ type: 'typing', room: this.room, typing });
  }
}
