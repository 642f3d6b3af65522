import type { ChatSettings, PublicUser, ServerFrame } from '@ephemeral-chat/protocol';
import { expiry } from '@ephemeral-chat/protocol/constants';
import type { Clock } from './clock.js';
import type { Connection } from './connection/connection.js';
import { Emitter, type EventMap } from './emitter.js';
import { ChatError } from './errors.js';
import type { ChatEvents, ReadEvent } from './events.js';
import type { ChatMessage } from './message.js';
import type { MessageStore } from './message-store.js';

/** The live events about one chat's state, which both the client and the chat report. */
export type ChatFrame = Extract<
  ServerFrame,
  { type: 'read' | 'delivered' | 'expiry' | 'settings' | 'unseen' | 'unsent' }
>;

/** What a chat needs from its client. */
export interface ChatContext {
  connection: Connection;
  store: MessageStore;
  clock: Clock;
  defaultTtlMs: number;
  /** The signed-in user's id. */
  me: () => string | undefined;
  /** The signed-in user. */
  user: () => PublicUser | undefined;
  /** Reports a chat's event on the client. */
  emit: (type: ChatFrame['type'], f: ChatFrame) => void;
}

/** One page of older messages, ascending, and whether there are older ones still. */
export interface HistoryPage {
  messages: ChatMessage[];
  hasMore: boolean;
}

/** A chat's counts and settings as the client writes them (read-only to apps). */
export interface Writable {
  unread: number;
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
 * What a 1:1 chat (`Chat`) and a group chat (`GroupChat`) share: the held messages, sending,
 * paging back, unsending, the chat's settings, typing, and the user's read state. It emits its
 * own events, so a view of one chat need not filter the client's.
 */
export abstract class Conversation<
  E extends ChatEvents & EventMap<E> = ChatEvents,
> extends Emitter<E> {
  /** @internal */
  readonly _c: ChatContext;
  /** @internal The user's read seq as far as this client knows (counts what expires unread). */
  _seq = 0;
  /**
   * Older unexpired messages remain on the server before the oldest one held: from the last
   * open (its first page) or `history()` paging back from the oldest held.
   */
  hasMore = false;
  /** Unexpired messages from others that the user has not read: from the server, then kept up live. */
  declare readonly unread: number;
  /** The chat's defaults for new messages (`ttl`, `burn`); empty: the protocol's defaults. */
  declare readonly settings: ChatSettings;

  constructor(
    /** The room id (`dm:<id>:<id>` or `g:<uuid>`). */
    readonly room: string,
    context: ChatContext,
  ) {
    super();
    this._c = context;
    (this as Writable).settings = {};
    (this as Writable).unread = 0;
    context.store.listen(room, {
      message: (m) => {
        // Another's message is unread; one's own reads the chat (as on the server).
        if (!this._own(m)) (this as Writable).unread++;
        else {
          (this as Writable).unread = 0;
          this._seq = Math.max(this._seq, m.seq);
        }
        this.#emit('message', m);
      },
      expired: (m) => {
        // Another's message expired unread: one fewer unread.
        if (!this._own(m) && m.seq > this._seq) {
          (this as Writable).unread = Math.max(0, this.unread - 1);
          this._lost();
        }
        this.#emit('expired', m);
      },
    });
  }

  /** @internal Whether `m` counts as the user's own (sending reads the chat). */
  abstract _own(m: { from: string }): boolean;

  /**
   * Who wrote `message` (its `from` is a user id), with their username: the user or the peer in
   * a 1:1 chat, a member in a group (`undefined` for one who has left it).
   */
  abstract sender(message: { from: string }): PublicUser | undefined;

  /** @internal One of another's messages expired unread. */
  _lost(): void {}

  /** @internal Counts from an open or `chats` reply: the unread ones are the newest held. */
  _counts(unread: number, settings?: ChatSettings): void {
    (this as Writable).unread = unread;
    if (settings) (this as Writable).settings = settings;
    const held = this.messages();
    const i = held.length - unread;
    this._seq = i > 0 ? (held[i - 1]?.seq ?? 0) : (held[0]?.seq ?? 1) - 1;
  }

  /** @internal The user read the chat up to `seq` (here or on another device). */
  _mine(seq: number): void {
    this._seq = Math.max(this._seq, seq);
    // Counted among the held messages (the open or `chats` reply gave the server's count).
    (this as Writable).unread = this.messages().filter(
      (m) => m.seq > this._seq && !this._own(m),
    ).length;
  }

  /** @internal A read by a member: the user's own here, others' in the subclasses. */
  _read(e: ReadEvent): void {
    if (e.userId === this._c.me()) this._mine(e.seq);
  }

  /**
   * @internal A live event about this chat: the chat's state is updated first, then the
   * client's listeners run, then the chat's. (`expiry`: the store holds the new copy already.)
   */
  _on(f: ChatFrame): void {
    if (f.type === 'read') this._read(f);
    else if (f.type === 'settings') (this as Writable).settings = f.settings;
    // Every message after one's read seq is another's (sending reads the chat): one fewer unread.
    else if (f.type === 'unsent' && f.seq > this._seq) {
      (this as Writable).unread = Math.max(0, this.unread - 1);
    } else this._other(f);
    this._c.emit(f.type, f);
    this.#emit(f.type, f);
  }

  /** @internal A chat event the base does not handle (`delivered`, `unseen`). */
  _other(_f: ChatFrame): void {}

  #emit(type: string, arg: unknown): void {
    (this.emit as unknown as (type: string, arg: unknown) => void)(type, arg);
  }

  /**
   * Marks the chat read up to `seq` (default: the newest message held) on every device of the
   * user, and tells the other members. Resolves with the read seq, which never goes backwards.
   * Call it for what the user has actually seen: a message sent with `burn` starts burning when
   * it is read.
   */
  async markRead(seq = this.messages().at(-1)?.seq ?? 0): Promise<number> {
    const r = await this._c.connection.request({ type: 'read', room: this.room, seq });
    // Its event follows (to every connection of the user), and reports it.
    this._mine(r.seq);
    return r.seq;
  }

  /** Unexpired messages held for this chat, ascending by seq (live, opened and paged ones). */
  messages(): ChatMessage[] {
    return this._c.store.list(this.room);
  }

  /**
   * Sends `text`, kept for `ttl` ms and, with `burn`, for at most `burn` ms once it has been read
   * (in a group: by every member). Both default to the chat's `settings` (`ttl` else
   * `defaultTtlMs`; a `ttl` given without `burn` means no burn). Resolves with the stored
   * message. While reconnecting it waits and is retried with the same client message id, so it
   * lands once; if its ttl runs out first it is dropped and rejects with `expired`.
   */
  async send(text: string, options: { ttl?: number; burn?: number } = {}): Promise<ChatMessage> {
    const s = this.settings;
    const { ttl = s.ttl ?? this._c.defaultTtlMs, burn = options.ttl ? undefined : s.burn } =
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
    const deadline = this._c.clock.now() + ttl;
    const ack = await this._c.connection.request(frame, { deadline, code: 'expired' });
    const stored = this._c.store.acked(ack.message);
    if (!stored) throw new ChatError('expired', 'The message expired before its ack arrived.');
    return stored;
  }

  /**
   * Sets the chat's defaults for new messages, for every member: `ttl`, and `burn` (`null`
   * turns it off). A field left out keeps its value. Resolves with the settings in force; every
   * member gets a `settings` event. In a group only admins may (`not_admin`).
   */
  async setSettings(settings: { ttl?: number; burn?: number | null }): Promise<ChatSettings> {
    const r = await this._c.connection.request({ ...settings, type: 'settings', room: this.room });
    // Its event follows (to every member), and reports it.
    (this as Writable).settings = r.settings;
    return r.settings;
  }

  /**
   * Unsends the user's own message `seq`: deleted for every member at once. It leaves
   * `messages()` before this resolves; every member gets an `unsent` event. Rejects with
   * `forbidden` (another's message) or `not_found` (expired, or unsent already: any copy held
   * here is dropped all the same).
   */
  async unsend(seq: number): Promise<void> {
    let missing: ChatError | undefined;
    await this._c.connection
      .request({ type: 'unsend', room: this.room, seq })
      .catch((e: ChatError) => {
        // Not live on the server (expired, or unsent from a device that missed the event): a
        // copy held here goes too.
        if (e.code !== 'not_found') throw e;
        missing = e;
      });
    if (this._c.store.unsend(this.room, seq)) this._on({ type: 'unsent', room: this.room, seq });
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
    const reply = await this._c.connection.request(frame);
    if (options.before === undefined) this.hasMore = reply.hasMore;
    return {
      messages: this._c.store.page(this.room, reply.messages, false),
      hasMore: reply.hasMore,
    };
  }

  /** Tells the other members that the user is (or stopped) typing; dropped while not connected. */
  typing(typing: boolean): void {
    this._c.connection.notify({ type: 'typing', room: this.room, typing });
  }
}
