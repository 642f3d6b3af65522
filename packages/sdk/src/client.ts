import type { PublicUser, ReplyTo, ServerFrame } from '@ephemeral-chat/protocol';
import { Chat, type ChatFrame, type ChatState } from './chat.js';

/** The live events that concern one chat's state (`ChatFrame`). */
const chatFrames: string[] = ['read', 'delivered', 'expiry', 'settings', 'unseen', 'unsent'];

import { Clock } from './clock.js';
import { Connection } from './connection/connection.js';
import type { OutgoingRequest } from './connection/outbox.js';
import type { ConnectionState } from './connection/state-machine.js';
import { DeliveredReceipts } from './delivered.js';
import { Emitter } from './emitter.js';
import { ChatError, fromPayload } from './errors.js';
import type { ClientEvents } from './events.js';
import { ExpiryQueue } from './expiry-queue.js';
import { Api } from './http/api.js';
import { alive, type ChatMessage, toChatMessage } from './message.js';
import { MessageStore } from './message-store.js';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from './options.js';

/** An entry of the chat list: the room, its peer, its newest unexpired message and receipts. */
export interface ChatSummary extends ChatState {
  room: string;
  peer: Chat['peer'];
  /**
   * The newest unexpired message; none when every message has expired and the chat is listed
   * for its `unseenExpired` count.
   */
  last?: ChatMessage | undefined;
}

/** The client: accounts over HTTP, chats over one self-healing WebSocket. */
export class Client extends Emitter<ClientEvents> {
  /** The options in force, validated and frozen. */
  readonly options: ResolvedOptions;
  /** The server's clock as this client estimates it. */
  readonly clock = new Clock();
  /** The signed-in user, from the last `welcome`. */
  user: PublicUser | undefined;
  readonly #api: Api;
  readonly #queue = new ExpiryQueue(this.clock);
  readonly #conn: Connection;
  readonly #store: MessageStore;
  readonly #chats = new Map<string, Chat>();
  #watched: string[] = [];
  readonly #online = new Map<string, boolean>();
  readonly #receipts = new DeliveredReceipts((room, seq) =>
    this.#conn.notify({ type: 'delivered', room, seq }),
  );

  constructor(options: ClientOptions) {
    super();
    const o = resolveOptions(options);
    this.options = o;
    this.#api = new Api(o);
    this.#conn = new Connection(o, this.clock, this.#queue, {
      state: (state, detail) => {
        // A refused session (logout elsewhere, expiry) signs the user out here too.
        if (state === 'unauthorized') this.#forget();
        this.emit('state', state, detail);
      },
      welcome: (f) => {
        this.user = f.user;
        this.#store.resync();
        this.#receipts.flush();
        if (this.#watched.length) void this.#presence(false).catch(() => {});
      },
      event: (f) => this.#event(f),
    });
    this.#store = new MessageStore(
      this.clock,
      this.#queue,
      {
        message: (m) => {
          this.#received(m);
          this.emit('message', m);
        },
        expired: (m) => this.emit('expired', m),
        error: (e) => this.emit('error', e),
      },
      (room, after) => this.#request({ type: 'resume', room, after }, false),
    );
  }

  /** The connection's state. */
  get state(): ConnectionState {
    return this.#conn.state;
  }

  /** Server time minus local time, in ms, as measured at connect and by heartbeats. */
  get clockOffset(): number {
    return this.clock.offset;
  }

  /** The current server time (epoch ms): what every `expiresAt` is compared with. */
  serverNow(): number {
    return this.clock.now();
  }

  /** Creates an account and signs in (the token goes to `tokenStore`). */
  register: Api['register'] = (c) => this.#api.register(c);
  /** Signs in (the token goes to `tokenStore`). */
  login: Api['login'] = (c) => this.#api.login(c);
  /** The signed-in user and the session's end. */
  me: Api['me'] = () => this.#api.me();
  /**
   * The signed-in user and the session's end, or `null` when signed out (a stale stored token is
   * forgotten). Unlike `me()` it never fails with `auth_required` / `session_invalid`, and the
   * browser logs no failed request: the call to make on page load.
   */
  session: Api['session'] = () => this.#api.session();
  /** Users whose username starts with `prefix`. */
  searchUsers: Api['searchUsers'] = (prefix) => this.#api.searchUsers(prefix);

  /**
   * Closes the connection, ends the session on the server and forgets the token. The socket goes
   * first: the server closes a revoked session's sockets, which must not read as `unauthorized`.
   */
  async logout(): Promise<void> {
    this.disconnect();
    try {
      await this.#api.logout();
    } finally {
      this.#forget();
    }
  }

  /** Forgets everything of the signed-out user, so the next one on this device sees none of it. */
  #forget(): void {
    this.#store.clear();
    this.#receipts.clear();
    this.#chats.clear();
    this.#watched = [];
    this.#online.clear();
    this.user = undefined;
  }

  /**
   * Connects (after `register` or `login`, or with a stored token) and resolves once the server
   * has welcomed the user; rejects if the session is refused or `disconnect()` comes first.
   * After a drop the client reconnects by itself.
   */
  connect(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => {
      const off = this.on('state', (state, detail) => {
        if (state === 'open') resolve();
        else if (state === 'unauthorized' || state === 'closed') {
          reject(detail.error ?? new ChatError('not_connected', `Connection ${state}.`));
        } else return;
        off();
      });
    });
    this.#conn.connect();
    return done;
  }

  /** Closes the connection until `connect()`; held messages stay and still expire. */
  disconnect(): void {
    if (this.state !== 'idle' && this.state !== 'closed') this.#conn.close();
  }

  /** Opens (or finds) the 1:1 chat with `username`, with its newest unexpired messages. */
  async open(username: string): Promise<Chat> {
    const r = await this.#request({ type: 'open', username });
    this.#store.page(r.room, r.messages, true);
    let chat = this.#chats.get(r.room);
    if (chat) chat.peer = r.peer;
    else {
      chat = new Chat(r.room, r.peer, {
        connection: this.#conn,
        store: this.#store,
        clock: this.clock,
        defaultTtlMs: this.options.defaultTtlMs,
        emit: (type, f) => (this.emit as (type: string, f: ChatFrame) => void)(type, f),
      });
      this.#chats.set(r.room, chat);
    }
    // Unless earlier pages already reach further back than this one.
    if (!((chat.messages()[0]?.seq ?? 0) < (r.messages[0]?.seq ?? 0))) chat.hasMore = r.hasMore;
    chat._set(r);
    for (const m of r.messages) this.#received(m);
    return chat;
  }

  /**
   * The user's chats that hold unexpired messages, or unread or unseen-expired ones, with each
   * one's newest message (if any is left) and receipts.
   */
  async chats(): Promise<ChatSummary[]> {
    const r = await this.#request({ type: 'chats' });
    const out: ChatSummary[] = [];
    for (const c of r.chats) {
      this.#chats.get(c.room)?._set(c);
      const last =
        c.last && alive(c.last, this.clock) && !this.#store.isGone(c.room, c.last.seq)
          ? toChatMessage(c.last, this.clock)
          : undefined;
      if (last || c.unread || c.unseenExpired) out.push({ ...c, last });
    }
    return out;
  }

  /**
   * Watches the presence of `userIds` (replacing the previous list; kept across reconnects) and
   * resolves with those online now; changes arrive as `presence` events.
   */
  watch(userIds: readonly string[]): Promise<string[]> {
    this.#watched = [...userIds];
    return this.#presence(true);
  }

  async #presence(persist: boolean): Promise<string[]> {
    const r = await this.#request({ type: 'presence', userIds: this.#watched }, persist);
    const online = new Set(r.online);
    const before = new Map(this.#online);
    this.#online.clear();
    for (const userId of this.#watched) {
      const now = online.has(userId);
      this.#online.set(userId, now);
      // After a reconnect, report what changed while the socket was down.
      if (!persist && before.has(userId) && before.get(userId) !== now) {
        this.emit('presence', { userId, online: now });
      }
    }
    return r.online;
  }

  #request<F extends OutgoingRequest>(frame: F, persist = true): Promise<ReplyTo<F['type']>> {
    return this.#conn.request(frame, { persist });
  }

  /** A message of the peer reached this client: a delivery receipt (unless turned off). */
  #received(m: { room: string; seq: number; from: string }): void {
    if (this.options.autoDelivered && m.from !== this.user?.id) this.#receipts.add(m.room, m.seq);
  }

  #event(f: ServerFrame): void {
    const chat = this.#chats.get((f as { room?: string }).room ?? '');
    if (f.type === 'message') this.#store.live(f.message);
    else if (f.type === 'typing')
      this.emit('typing', { room: f.room, userId: f.userId, typing: f.typing });
    else if (f.type === 'presence.changed') {
      this.#online.set(f.userId, f.online);
      this.emit('presence', { userId: f.userId, online: f.online });
    } else if (chatFrames.includes(f.type)) {
      const e = f as ChatFrame;
      // Expiry is sacred: the held copy takes the new time before anyone hears of it.
      if (e.type === 'expiry') this.#store.expire(e.room, e.seq, e.expiresAt);
      // Gone at once, reported once (the reply to this device's `unsend` may have come first).
      if (e.type === 'unsent' && !this.#store.unsend(e.room, e.seq)) return;
      if (chat) chat._on(e);
      else (this.emit as (type: string, f: ChatFrame) => void)(e.type, e);
    } else if (f.type === 'error') this.emit('error', fromPayload(f.error));
  }
}

/** Creates a client; throws a `ChatError` (`invalid_options`) that says what to fix. */
export function createClient(options: ClientOptions): Client {
  return new Client(options);
}
