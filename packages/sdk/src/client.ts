import type {
  Group,
  GroupChatEntry,
  GroupSummary,
  PublicUser,
  ReplyTo,
  ServerFrame,
} from '@ephemeral-chat/protocol';
import { Chat, type ChatState } from './chat.js';
import type { ChatContext, ChatFrame } from './conversation.js';

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
import { GroupChat } from './group-chat.js';
import { HostSession } from './host-session.js';
import { Api, type Session } from './http/api.js';
import { alive, type ChatMessage, toChatMessage } from './message.js';
import { MessageStore } from './message-store.js';
import {
  type ClientOptions,
  noWebSocket,
  type ResolvedOptions,
  resolveOptions,
} from './options.js';
import { Safety } from './safety.js';

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

/** A group in the chat list: its name, member count, newest unexpired message and unread count. */
export interface GroupChatSummary extends Omit<GroupChatEntry, 'last'> {
  /** The newest unexpired message sent since the user joined, if any. */
  last?: ChatMessage | undefined;
}

/** Whether `room` is a group's (`g:<uuid>`) rather than a 1:1 chat's. */
export const isGroupRoom = (room: string): boolean => room.startsWith('g:');

/** The client: accounts over HTTP, chats over one self-healing WebSocket. */
export class Client extends Emitter<ClientEvents> {
  /** The options in force, validated and frozen. */
  readonly options: ResolvedOptions;
  /** The server's clock as this client estimates it. */
  readonly clock = new Clock();
  /** The signed-in user, from the last `welcome`. */
  user: PublicUser | undefined;
  readonly #api: Api;
  readonly #host: HostSession;
  readonly #queue = new ExpiryQueue(this.clock);
  readonly #conn: Connection;
  readonly #store: MessageStore;
  readonly #chats = new Map<string, Chat | GroupChat>();
  readonly #ctx: ChatContext;
  /** Groups `leave()` dropped before their `group.changed` came. */
  readonly #departed = new Set<string>();
  #watched: string[] = [];
  readonly #online = new Map<string, boolean>();
  readonly #safety: Safety;
  readonly #receipts = new DeliveredReceipts((room, seq) =>
    this.#conn.notify({ type: 'delivered', room, seq }),
  );

  constructor(options: ClientOptions) {
    super();
    const o = resolveOptions(options);
    this.options = o;
    this.#api = new Api(o);
    this.#host = new HostSession((token) => this.#api.hostSession(token));
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
        // What changed in the open groups while the socket was down (members, reads, removal).
        for (const c of this.#chats.values()) if (c instanceof GroupChat) void this.#reopen(c.room);
        if (this.#watched.length) void this.#presence(false).catch(() => {});
      },
      event: (f) => this.#event(f),
      host: this.#host,
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
    this.#safety = new Safety({
      request: (f) => this.#request(f),
      held: (room) => this.#store.list(room),
      me: () => this.user?.id,
      clock: this.clock,
      on: (type, fn) => this.on(type, fn),
    });
    this.#ctx = {
      connection: this.#conn,
      store: this.#store,
      clock: this.clock,
      defaultTtlMs: o.defaultTtlMs,
      me: () => this.user?.id,
      user: () => this.user,
      emit: (type, f) => (this.emit as (type: string, f: ChatFrame) => void)(type, f),
    };
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
  /**
   * Signs in with the host site's identity: calls `provider` (default: the `hostToken` option)
   * for a host token and exchanges it for a session; the provider is called again before that
   * session ends and when a reconnect needs a new one. Then `connect()`.
   */
  signInWithHost(provider = this.options.hostToken): Promise<Session> {
    if (!provider) {
      const msg = 'signInWithHost: pass a token provider or the `hostToken` option.';
      return Promise.reject(new ChatError('invalid_options', msg));
    }
    return this.#host.signIn(provider);
  }
  /** Users whose username starts with `prefix`. */
  searchUsers: Api['searchUsers'] = (prefix) => this.#api.searchUsers(prefix);

  /**
   * Blocks user `userId` (both ways: neither can open, send to or type in their 1:1 chat, see
   * the other's presence or find the other; sends answer `blocked`). Idempotent.
   */
  block: Safety['block'] = (userId) => this.#safety.block(userId);
  /** Lifts the user's block of `userId` (a block the other way stays). Idempotent. */
  unblock: Safety['unblock'] = (userId) => this.#safety.unblock(userId);
  /** The users the user blocks, by username. */
  blocks: Safety['blocks'] = () => this.#safety.blocks();
  /**
   * Reports message `seq` of `room` (a member's, not the user's own) with a reason and an
   * optional comment; resolves with the report's id. Works after the message expired, burnt or
   * was unsent, for `reportGraceMs` (15 min), from the copy the client keeps for this alone.
   */
  report: Safety['report'] = (target, reason, options) =>
    this.#safety.report(target, reason, options);
  /** The other members' messages of `room` that can be reported now, without their text. */
  reportable: Safety['reportable'] = (room) => this.#safety.reportable(room);

  /**
   * Deletes the user's account for good (the password entered again): sessions, memberships,
   * blocks and every message sent, on every node. Then the client ends as after `logout()`. A
   * wrong password rejects with `invalid_credentials` and changes nothing.
   */
  async deleteAccount(password: string): Promise<void> {
    await this.#api.deleteAccount(password);
    this.disconnect();
    this.#forget();
  }

  /**
   * Closes the connection, ends the session on the server and forgets the token. The socket goes
   * first: the server closes a revoked session's sockets, which must not read as `unauthorized`.
   */
  async logout(): Promise<void> {
    this.#host.stop();
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
    this.#safety.clear();
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
    if (!this.options.WebSocket) return Promise.reject(noWebSocket());
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
    let chat = this.#chats.get(r.room) as Chat | undefined;
    if (chat) chat.peer = r.peer;
    else {
      chat = new Chat(r.room, r.peer, this.#ctx);
      this.#chats.set(r.room, chat);
    }
    this.#more(chat, r);
    chat._set(r);
    for (const m of r.messages) this.#received(m);
    return chat;
  }

  /** The first page's `hasMore`, unless earlier pages already reach further back than it. */
  #more(chat: Chat | GroupChat, r: { messages: readonly { seq: number }[]; hasMore: boolean }) {
    if (!((chat.messages()[0]?.seq ?? 0) < (r.messages[0]?.seq ?? 0))) chat.hasMore = r.hasMore;
  }

  /**
   * Opens group `room` (the user must be a member, else `forbidden`): its members, newest
   * messages sent since the user joined, every member's read seq, who is online and its settings.
   * The same object is returned on every call, kept current live and across reconnects.
   */
  async openGroup(room: string): Promise<GroupChat> {
    const r = await this.#request({ type: 'group.open', room });
    // A member again (re-added after leaving): a later removal is reported again.
    this.#departed.delete(room);
    this.#store.page(room, r.messages, true);
    let chat = this.#chats.get(room) as GroupChat | undefined;
    if (!chat) {
      chat = new GroupChat(room, this.#ctx, () => {
        this.#departed.add(room);
        this.#left(room);
      });
      this.#chats.set(room, chat);
    }
    this.#more(chat, r);
    chat._open(r);
    return chat;
  }

  async #reopen(room: string): Promise<void> {
    await this.openGroup(room).catch((e: ChatError) => {
      // No longer a member (removed while the socket was down).
      if (e.code === 'forbidden') this.#left(room);
    });
  }

  /** The user is no longer a member of group `room`: its chat and messages go. */
  #left(room: string): void {
    const chat = this.#chats.get(room) as GroupChat | undefined;
    this.#chats.delete(room);
    this.#store.drop(room);
    chat?._left();
    this.emit('left', { room });
  }

  /**
   * Creates a group named `name` with the users named in `usernames`; the user is its first
   * admin. All or nothing: `user_not_found`, `group_full`, `too_many_groups`. Every member gets
   * a `group` event (`created`). Open it with `openGroup(group.room)`.
   */
  async createGroup(name: string, usernames: string[]): Promise<Group> {
    return (await this.#request({ type: 'group.create', name, usernames })).group;
  }

  /** Group `room` with its members (`forbidden` unless the user is one). */
  async group(room: string): Promise<Group> {
    return (await this.#request({ type: 'group.get', room })).group;
  }

  /** Every group of the user, without members, ordered by room id. */
  async groups(): Promise<GroupSummary[]> {
    const out: GroupSummary[] = [];
    for (let more = true; more; ) {
      const after = out.at(-1)?.room;
      const r = await this.#request({ type: 'groups', ...(after ? { after } : {}) });
      out.push(...r.groups);
      more = r.hasMore && r.groups.length > 0;
    }
    return out;
  }

  /**
   * The user's 1:1 chats that hold unexpired messages, or unread or unseen-expired ones, and every
   * group of the user, newest first, with each one's newest message (if any is left) and counts.
   * A group's entry has `group` (tell them apart with `'group' in entry`).
   */
  async chats(): Promise<(ChatSummary | GroupChatSummary)[]> {
    const r = await this.#request({ type: 'chats' });
    const out: (ChatSummary | GroupChatSummary)[] = [];
    for (const c of r.chats) {
      const chat = this.#chats.get(c.room);
      const last =
        c.last && alive(c.last, this.clock) && !this.#store.isGone(c.room, c.last.seq)
          ? toChatMessage(c.last, this.clock)
          : undefined;
      if ('group' in c) {
        chat?._counts(c.unread);
        out.push({ ...c, last });
      } else {
        (chat as Chat | undefined)?._set(c);
        if (last || c.unread || c.unseenExpired) out.push({ ...c, last });
      }
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
    // Groups have no delivery receipts.
    if (this.options.autoDelivered && m.from !== this.user?.id && !isGroupRoom(m.room)) {
      this.#receipts.add(m.room, m.seq);
    }
  }

  #event(f: ServerFrame): void {
    const chat = this.#chats.get((f as { room?: string }).room ?? '');
    if (f.type === 'message') this.#store.live(f.message);
    else if (f.type === 'typing')
      this.emit('typing', { room: f.room, userId: f.userId, typing: f.typing });
    else if (f.type === 'presence.changed') {
      this.#online.set(f.userId, f.online);
      for (const c of this.#chats.values()) {
        if (c instanceof GroupChat && c.group.members.some((m) => m.id === f.userId)) {
          c.online[f.online ? 'add' : 'delete'](f.userId);
        }
      }
      this.emit('presence', { userId: f.userId, online: f.online });
    } else if (chatFrames.includes(f.type)) {
      const e = f as ChatFrame;
      // Expiry is sacred: the held copy takes the new time before anyone hears of it.
      if (e.type === 'expiry') this.#store.expire(e.room, e.seq, e.expiresAt);
      // Gone at once, reported once (the reply to this device's `unsend` may have come first).
      if (e.type === 'unsent' && !this.#store.unsend(e.room, e.seq)) return;
      if (chat) chat._on(e);
      else (this.emit as (type: string, f: ChatFrame) => void)(e.type, e);
    } else if (f.type === 'group.changed') {
      const group = chat as GroupChat | undefined;
      if (f.group) group?._group(f.group);
      this.emit('group', f);
      group?._changed(f);
      // Removed or left: nothing more comes from this group (unless `leave()` dropped it).
      if (!f.group && !this.#departed.delete(f.room)) this.#left(f.room);
    } else if (f.type === 'error') this.emit('error', fromPayload(f.error));
  }
}

/** Creates a client; throws a `ChatError` (`invalid_options`) that says what to fix. */
export function createClient(options: ClientOptions): Client {
  return new Client(options);
}
