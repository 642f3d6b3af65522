import {
  type Chat,
  type ChatError,
  type ChatMessage,
  type Client,
  createClient,
  type GroupChat,
  type SearchResult,
} from '@ephemeral-chat/sdk';
import { asChatError } from '../errors.js';
import type { EcLoginDetail, EcLogoutDetail } from '../events.js';
import { AuthState, type HostTokenSource } from './auth-state.js';
import { ChatList } from './chat-list.js';
import { PeerTyping } from './peer-typing.js';
import { Presence } from './presence.js';
import type { SafetyClient } from './safety.js';
import { Unread } from './unread.js';

/** What the session reports to the element, which turns it into DOM events. */
export interface SessionHooks {
  login(detail: EcLoginDetail): void;
  logout(detail: EcLogoutDetail): void;
  message(message: ChatMessage, own: boolean, sender: string | undefined): void;
  error(error: ChatError): void;
  /** The user is no longer a member of group `room` (removed, or left on any device). */
  left(room: string): void;
}

const transient = new Set(['not_connected', 'disconnected', 'timeout']);

/**
 * One SDK client (cookie auth) and the state the views render, each piece on its own: sign-in,
 * chat list, unread counts, presence and typing. This only wires the client's events to them;
 * views get the pieces they show, never the client.
 */
export class Session {
  readonly auth: AuthState;
  readonly chats: ChatList;
  readonly unread = new Unread();
  readonly presence: Presence;
  readonly typing = new PeerTyping();
  /** Block, unblock and report (the chat menu). */
  readonly safety: SafetyClient;
  readonly #client: Client;
  readonly #offs: (() => void)[];

  constructor(url: string, hooks: SessionHooks, hostToken?: HostTokenSource) {
    const c = createClient({ url, auth: 'cookie' });
    this.#client = c;
    this.safety = c;
    this.presence = new Presence(c);
    this.chats = new ChatList(
      c,
      this.presence,
      () => this.auth.phase === 'signed-in',
      (err) => {
        const e = asChatError(err);
        if (!transient.has(e.code)) hooks.error(e);
      },
      (chats) => this.unread.seed(chats),
    );
    this.auth = new AuthState(
      c,
      {
        entered: (user) => this.chats.meet(user),
        ready: () => this.chats.refresh(),
        left: () => {
          this.unread.end();
          this.chats.clear();
          this.typing.clear();
        },
        login: (detail) => hooks.login(detail),
        logout: (detail) => hooks.logout(detail),
        error: (error) => hooks.error(error),
      },
      hostToken,
    );
    const own = (m: ChatMessage) => m.from === this.auth.user?.id;
    this.#offs = [
      c.on('state', (s) => {
        const was = this.auth.connection;
        this.auth.setConnection(s);
        this.presence.setLive(s === 'open');
        // The list may have changed while the socket was down.
        if (s === 'open' && was === 'reconnecting') this.chats.refreshSoon();
      }),
      c.on('message', (m) => {
        if (!own(m)) {
          this.unread.arrived(m);
          this.typing.set(m.room, m.from, false);
        }
        this.chats.arrived(m);
        hooks.message(m, own(m), this.chats.nameOf(m.from));
      }),
      c.on('expired', (m) => {
        // An unread message may have expired unseen: the server has the counts.
        if (!own(m) && !this.unread.tracks(m.room) && this.unread.count(m.room)) {
          this.chats.refreshSoon();
        }
        this.chats.expired(m);
      }),
      c.on('read', (e) => {
        // Read on another device: the server has the counts.
        if (e.userId === this.auth.user?.id && !this.unread.tracks(e.room))
          this.chats.refreshSoon();
      }),
      c.on('unseen', (e) => this.unread.setUnseen(e.room, e.unseenExpired)),
      c.on(
        'typing',
        (e) => e.userId !== this.auth.user?.id && this.typing.set(e.room, e.userId, e.typing),
      ),
      c.on('group', (e) => {
        for (const m of e.group?.members ?? []) this.chats.meet(m);
        // Name, member count or admin flag of a listed group changed, or a new group.
        this.chats.refreshSoon();
      }),
      c.on('left', (e) => {
        this.chats.remove(e.room);
        this.unread.forget(e.room);
        hooks.left(e.room);
      }),
      c.on('presence', (e) => this.presence.set(e.userId, e.online)),
      c.on('error', (e) => hooks.error(e)),
    ];
  }

  /** The username of a user met so far (chat list, groups, search). */
  readonly nameOf = (userId: string): string | undefined => this.chats.nameOf(userId);

  /** Users whose username starts with `prefix` (for the search view). */
  readonly searchUsers = (prefix: string): Promise<SearchResult[]> =>
    this.#client.searchUsers(prefix);

  async open(username: string): Promise<Chat> {
    const chat = await this.#client.open(username);
    this.unread.track(chat);
    this.chats.meet(chat.peer);
    this.presence.set(chat.peer.id, chat.peer.online);
    return chat;
  }

  /** Opens a group of the user's, learning its members' names and presence. */
  async openGroup(room: string): Promise<GroupChat> {
    const chat = await this.#client.openGroup(room);
    this.unread.track(chat);
    for (const m of chat.members) {
      this.chats.meet(m);
      this.presence.set(m.id, chat.online.has(m.id));
    }
    this.presence.want(
      'group',
      chat.members.map((m) => m.id),
    );
    return chat;
  }

  /** Creates a group with the users named and opens it. */
  async createGroup(name: string, usernames: string[]): Promise<GroupChat> {
    const group = await this.#client.createGroup(name, usernames);
    this.chats.refreshSoon();
    return this.openGroup(group.room);
  }

  dispose(): void {
    this.auth.dispose();
    for (const off of this.#offs) off();
    this.chats.dispose();
    this.typing.clear();
    this.presence.dispose();
    this.#client.disconnect();
  }
}
