import type { SearchResult } from '@ephemeral-chat/protocol';
import { expiry } from '@ephemeral-chat/protocol/constants';
import type { Clock } from './clock.js';
import type { Connection } from './connection/connection.js';
import { Emitter } from './emitter.js';
import { ChatError } from './errors.js';
import type { ChatEvents, ReadEvent } from './events.js';
import type { ChatMessage } from './message.js';
import type { MessageStore } from './message-store.js';

/** The other member of a 1:1 chat, with whether they were online when last asked. */
export type Peer = SearchResult;

/** What a chat needs from its client. */
export interface ChatContext {
  connection: Connection;
  store: MessageStore;
  clock: Clock;
  defaultTtlMs: number;
}

/** One page of older messages, ascending, and whether there are older ones still. */
export interface HistoryPage {
  messages: ChatMessage[];
  hasMore: boolean;
}

/** A chat's read state as the client writes it (read-only to apps). */
interface State {
  unread: number;
  peerReadSeq: number;
}

/** 12 random bytes as hex: a client message id that makes a retried send idempotent. */
function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A 1:1 chat, from `client.open(username)`. It emits its own `message` and `expired` events, so
 * a view of one chat need not filter the client's.
 */
export class Chat extends Emitter<ChatEvents> {
  readonly #c: ChatContext;
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

  constructor(
    /** The room id (`dm:<id>:<id>`). */
    readonly room: string,
    /** The other member, as of the last `open`. */
    public peer: Peer,
    context: ChatContext,
  ) {
    super();
    this.#c = context;
    context.store.listen(room, {
      message: (m) => {
        // A message from the peer is unread; one's own reads the chat (as on the server).
        (this as State).unread = m.from === this.peer.id ? this.unread + 1 : 0;
        this.emit('message', m);
      },
      expired: (m) => this.emit('expired', m),
    });
  }

  /** @internal Read state from an `opened` or `chats` reply. */
  _set(s: State): void {
    (this as State).unread = s.unread;
    (this as State).peerReadSeq = s.peerReadSeq;
  }

  /** @internal A read by either member (a `read` event, or the reply to `markRead`). */
  _seen(e: ReadEvent): void {
    if (e.userId === this.peer.id) (this as State).peerReadSeq = Math.max(this.peerReadSeq, e.seq);
    // Counted among the held messages (`open`/`chats` give the server's count); every message
    // after one's read seq is the peer's, as sending reads the chat.
    else (this as State).unread = this.messages().filter((m) => m.seq > e.seq).length;
  }

  /**
   * Marks the chat read up to `seq` (default: the newest message held) on every device of the
   * user, and tells the peer. Resolves with the read seq, which never goes backwards.
   */
  async markRead(seq = this.messages().at(-1)?.seq ?? 0): Promise<number> {
    const r = await this.#c.connection.request({ type: 'read', room: this.room, seq });
    this._seen(r);
    return r.seq;
  }

  /** Unexpired messages held for this chat, ascending by seq (live, opened and paged ones). */
  messages(): ChatMessage[] {
    return this.#c.store.list(this.room);
  }

  /**
   * Sends `text`, kept for `ttl` ms (default `defaultTtlMs`). Resolves with the stored message.
   * While reconnecting it waits and is retried with the same client message id, so it lands
   * once; if its ttl runs out first it is dropped and rejects with `expired`.
   */
  async send(text: string, options: { ttl?: number } = {}): Promise<ChatMessage> {
    const ttl = options.ttl ?? this.#c.defaultTtlMs;
    // Only what would make it wait in vain; the server checks the rest (message_too_long).
    if (!text.trim()) throw new ChatError('validation_failed', 'A message cannot be empty.');
    if (!Number.isInteger(ttl) || ttl < expiry.minTtlMs || ttl > expiry.maxTtlMs) {
      throw new ChatError(
        'validation_failed',
        `ttl must be whole ms in [${expiry.minTtlMs}, ${expiry.maxTtlMs}].`,
      );
    }
    const frame = {
      type: 'send',
      room: this.room,
      text,
      ttl,
      clientMsgId: newClientMsgId(),
    } as const;
    const deadline = this.#c.clock.now() + ttl;
    const ack = await this.#c.connection.request(frame, { deadline, code: 'expired' });
    const stored = this.#c.store.acked(ack.message);
    if (!stored) throw new ChatError('expired', 'The message expired before its ack arrived.');
    return stored;
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
