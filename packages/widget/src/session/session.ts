import type { PublicUser } from '@ephemeral-chat/protocol';
import {
  type Chat,
  type ChatError,
  type ChatMessage,
  type ChatSummary,
  type Client,
  type ConnectionState,
  type Credentials,
  createClient,
} from '@ephemeral-chat/sdk';
import { debounce } from '../debounce.js';
import { asChatError } from '../errors.js';
import type { EcLoginDetail, EcLogoutDetail } from '../events.js';
import { PeerTyping } from './peer-typing.js';
import { Presence } from './presence.js';
import { Unread } from './unread.js';

/** Where the widget stands: asking the server, signed out, signed in, or unable to reach it. */
export type Phase = 'starting' | 'signed-out' | 'signed-in' | 'unreachable';

/** What the session reports to the element, which turns it into DOM events. */
export interface SessionHooks {
  login(detail: EcLoginDetail): void;
  logout(detail: EcLogoutDetail): void;
  message(message: ChatMessage, own: boolean, sender: string | undefined): void;
  error(error: ChatError): void;
}

const transient = new Set(['not_connected', 'disconnected', 'timeout']);
const newestFirst = (chats: ChatSummary[]) =>
  chats.sort((a, b) => b.last.createdAt - a.last.createdAt);

/**
 * The state the views render, over one SDK client with cookie auth (the widget never sees a
 * token): phase, user, connection, chat list, unread counts, presence and typing. Views
 * `subscribe` and re-render on every change.
 */
export class Session {
  readonly client: Client;
  phase: Phase = 'starting';
  user: PublicUser | undefined;
  connection: ConnectionState = 'idle';
  /** Chats with unexpired messages, newest first. */
  chats: ChatSummary[] = [];
  /** Why the user was signed out, until the next sign-in. */
  notice: 'sessionEnded' | undefined;
  /** Why the server is unreachable (phase `unreachable`). */
  error: ChatError | undefined;
  /** The room on screen: its messages count as read when they arrive. */
  activeRoom: string | undefined;
  unread: Unread | undefined;
  readonly presence: Presence;
  readonly typing: PeerTyping;
  readonly #hooks: SessionHooks;
  readonly #listeners = new Set<() => void>();
  readonly #names = new Map<string, string>();
  readonly #offs: (() => void)[];
  readonly #refresh = debounce(() => void this.refreshChats(), 300);
  #leaving = false;
  #disposed = false;

  constructor(url: string, hooks: SessionHooks) {
    this.client = createClient({ url, auth: 'cookie' });
    this.#hooks = hooks;
    const changed = () => this.#changed();
    this.presence = new Presence(this.client, changed);
    this.typing = new PeerTyping(changed);
    const c = this.client;
    this.#offs = [
      c.on('state', (s) => this.#onState(s)),
      c.on('message', (m) => this.#onMessage(m)),
      c.on('expired', (m) => this.#onExpired(m)),
      c.on('typing', (e) => e.userId !== this.user?.id && this.typing.set(e.room, e.typing)),
      c.on('presence', (e) => this.presence.set(e.userId, e.online)),
      c.on('error', (e) => hooks.error(e)),
    ];
  }

  /** Calls `fn` after every change until the returned function is called. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** The username of a user id the session has met, if any. */
  nameOf(userId: string): string | undefined {
    return this.#names.get(userId);
  }

  /** Resumes a session whose cookie is still valid, else leaves the user signed out. */
  async start(): Promise<void> {
    this.phase = 'starting';
    this.error = undefined;
    this.#changed();
    try {
      // session(), not me(): a signed-out visitor costs no 401 in the page's console.
      const me = await this.client.session();
      if (me) await this.#enter(me.user, 'session');
      else {
        this.phase = 'signed-out';
        this.#changed();
      }
    } catch (err) {
      const e = asChatError(err);
      if (e.code === 'auth_required' || e.code === 'session_invalid') this.phase = 'signed-out';
      else [this.phase, this.error] = ['unreachable', e];
      this.#changed();
      if (this.phase === 'unreachable') this.#hooks.error(e);
    }
  }

  /** Signs in or registers; a rejection is a `ChatError` for the form to show. */
  async signIn(mode: 'login' | 'register', credentials: Credentials): Promise<void> {
    const c = this.client;
    const s = await (mode === 'register' ? c.register(credentials) : c.login(credentials));
    this.notice = undefined;
    await this.#enter(s.user, mode);
  }

  async logout(): Promise<void> {
    this.#leaving = true;
    try {
      await this.client.logout();
    } catch {
      // unreachable or already ended: the user is signed out here all the same
    } finally {
      this.#leaving = false;
    }
    this.#leave('logout');
  }

  async open(username: string): Promise<Chat> {
    const chat = await this.client.open(username);
    this.#names.set(chat.peer.id, chat.peer.username);
    this.presence.set(chat.peer.id, chat.peer.online);
    return chat;
  }

  /** Marks the room's messages up to `seq` as read. */
  read(room: string, seq: number): void {
    this.unread?.markRead(room, seq);
    this.#changed();
  }

  setActiveRoom(room: string | undefined): void {
    this.activeRoom = room;
    this.#changed();
  }

  async refreshChats(): Promise<void> {
    if (this.phase !== 'signed-in') return;
    try {
      const chats = await this.client.chats();
      for (const { peer } of chats) {
        this.#names.set(peer.id, peer.username);
        this.presence.set(peer.id, peer.online);
      }
      this.chats = newestFirst(chats);
      this.presence.want(
        'chats',
        chats.map((c) => c.peer.id),
      );
      this.#changed();
    } catch (err) {
      const e = asChatError(err);
      if (!transient.has(e.code)) this.#hooks.error(e);
    }
  }

  dispose(): void {
    this.#disposed = true;
    for (const off of this.#offs) off();
    this.#refresh.cancel();
    this.typing.clear();
    this.presence.dispose();
    this.#listeners.clear();
    this.client.disconnect();
  }

  async #enter(user: PublicUser, via: EcLoginDetail['via']): Promise<void> {
    if (this.#disposed) return;
    this.user = user;
    this.#names.set(user.id, user.username);
    this.unread = new Unread(user.id);
    this.phase = 'signed-in';
    this.#changed();
    this.#hooks.login({ user, via });
    try {
      await this.client.connect();
      await this.refreshChats();
      await this.#countUnread();
    } catch (err) {
      // A refused session arrives as the `unauthorized` state; anything else is shown.
      if (this.phase === 'signed-in') this.#hooks.error(asChatError(err));
    }
  }

  /** At sign-in, the list has only each chat's newest message: fetch the rest where unread. */
  async #countUnread(): Promise<void> {
    for (const c of this.chats) {
      const unread = this.unread;
      if (!unread || c.last.from === this.user?.id || c.last.seq <= unread.lastRead(c.room)) {
        continue;
      }
      try {
        const chat = await this.client.open(c.peer.username);
        for (const m of chat.messages()) if (m.from !== this.user?.id) unread.add(m);
      } catch {
        unread.add(c.last);
      }
    }
    this.#changed();
  }

  #leave(reason: EcLogoutDetail['reason']): void {
    if (this.phase !== 'signed-in') return;
    this.phase = 'signed-out';
    this.user = undefined;
    this.unread = undefined;
    this.activeRoom = undefined;
    this.chats = [];
    this.typing.clear();
    this.#changed();
    this.#hooks.logout({ reason });
  }

  #onState(state: ConnectionState): void {
    const was = this.connection;
    this.connection = state;
    if (state === 'unauthorized' && !this.#leaving && this.phase === 'signed-in') {
      this.notice = 'sessionEnded';
      this.client.disconnect();
      this.#leave('session-ended');
    } else if (state === 'open' && was === 'reconnecting') {
      this.#refresh(); // the list may have changed while the socket was down
    }
    this.#changed();
  }

  #onMessage(m: ChatMessage): void {
    const own = m.from === this.user?.id;
    if (!own) {
      if (m.room === this.activeRoom) this.unread?.markRead(m.room, m.seq);
      else this.unread?.add(m);
      this.typing.set(m.room, false);
    }
    const known = this.chats.find((c) => c.room === m.room);
    if (!known) this.#refresh();
    else if (m.seq > known.last.seq) {
      this.chats = newestFirst(this.chats.map((c) => (c === known ? { ...c, last: m } : c)));
    }
    this.#changed();
    this.#hooks.message(m, own, this.nameOf(m.from));
  }

  #onExpired(m: ChatMessage): void {
    this.unread?.remove(m);
    // The chat's newest message is gone: ask the server what is left (maybe nothing).
    if (this.chats.some((c) => c.room === m.room && c.last.seq === m.seq)) this.#refresh();
    this.#changed();
  }

  #changed(): void {
    for (const fn of [...this.#listeners]) fn();
  }
}
