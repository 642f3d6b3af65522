import type {
  ChatMessage,
  ChatSummary,
  Client,
  GroupChatSummary,
  PublicUser,
} from '@ephemeral-chat/sdk';
import { debounce } from '../debounce.js';
import { Observable } from './observable.js';
import type { Presence } from './presence.js';

/** A 1:1 chat or a group in the list. */
export type ListEntry = ChatSummary | GroupChatSummary;

/**
 * Newest message first; chats left only for their unseen-expired count last. The server's order
 * stands between entries without a message (a new group ranks by its creation).
 */
const newestFirst = (chats: ListEntry[]) =>
  chats.sort((a, b) => (b.last?.createdAt ?? 0) - (a.last?.createdAt ?? 0));

/**
 * The user's chats that hold unexpired messages (or unread or unseen-expired ones), newest first,
 * kept current from the messages that arrive and expire; and the usernames of the users met on
 * the way.
 */
export class ChatList extends Observable {
  /** Chats with unexpired messages, newest first. */
  chats: ListEntry[] = [];
  readonly #client: Pick<Client, 'chats'>;
  readonly #presence: Presence;
  readonly #names = new Map<string, string>();
  /** Whether a user is signed in (else there is nothing to load). */
  readonly #active: () => boolean;
  readonly #failed: (err: unknown) => void;
  /** The server's answer arrived (its unread counts included). */
  readonly #loaded: (chats: readonly ListEntry[]) => void;
  readonly #refresh = debounce(() => void this.refresh(), 300);

  constructor(
    client: Pick<Client, 'chats'>,
    presence: Presence,
    active: () => boolean,
    failed: (err: unknown) => void,
    loaded: (chats: readonly ListEntry[]) => void = () => {},
  ) {
    super();
    this.#client = client;
    this.#presence = presence;
    this.#active = active;
    this.#failed = failed;
    this.#loaded = loaded;
  }

  /** The username of a user id met so far, if any. */
  nameOf(userId: string): string | undefined {
    return this.#names.get(userId);
  }

  meet(user: Pick<PublicUser, 'id' | 'username'>): void {
    this.#names.set(user.id, user.username);
  }

  async refresh(): Promise<void> {
    if (!this.#active()) return;
    try {
      const chats = await this.#client.chats();
      const peers = chats.flatMap((c) => ('peer' in c ? [c.peer] : []));
      for (const peer of peers) {
        this.meet(peer);
        this.#presence.set(peer.id, peer.online);
      }
      this.chats = newestFirst(chats);
      this.#loaded(chats);
      this.#presence.want(
        'chats',
        peers.map((p) => p.id),
      );
      this.changed();
    } catch (err) {
      this.#failed(err);
    }
  }

  /** Refreshes soon, once for a burst of calls. */
  refreshSoon(): void {
    this.#refresh();
  }

  /** A message arrived: it is its chat's newest, or the chat is new to the list. */
  arrived(m: ChatMessage): void {
    const known = this.chats.find((c) => c.room === m.room);
    if (!known) this.#refresh();
    else if (m.seq > (known.last?.seq ?? 0)) {
      this.chats = newestFirst(this.chats.map((c) => (c === known ? { ...c, last: m } : c)));
      this.changed();
    }
  }

  expired(m: ChatMessage): void {
    // The chat's newest message is gone: ask the server what is left (maybe nothing, or only
    // an unseen-expired count).
    if (this.chats.some((c) => c.room === m.room && c.last?.seq === m.seq)) this.#refresh();
  }

  /** A group the user is no longer in leaves the list at once. */
  remove(room: string): void {
    this.chats = this.chats.filter((c) => c.room !== room);
    this.changed();
  }

  clear(): void {
    this.chats = [];
    this.changed();
  }

  dispose(): void {
    this.#refresh.cancel();
  }
}
