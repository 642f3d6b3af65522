import type {
  Chat,
  ChatMessage,
  ChatSummary,
  GroupChat,
  GroupChatSummary,
} from '@ephemeral-chat/sdk';
import { Observable } from './observable.js';

interface Counts {
  unread: number;
  /** Not kept for groups. */
  unseenExpired?: number | undefined;
}

/**
 * Unread and unseen-expired counts per room, as the server keeps them (the same on every device).
 * A chat opened in this session is asked directly: the SDK keeps its counts current. Any other
 * room takes the chat list's counts, plus one per message from the peer since; what cannot be
 * counted here (a read on another device, an unread message that expired) makes the session
 * refresh the list.
 */
export class Unread extends Observable {
  /** The room on screen. */
  activeRoom: string | undefined;
  readonly #listed = new Map<string, Counts>();
  readonly #chats = new Map<string, { chat: Chat | GroupChat; offs: (() => void)[] }>();

  /** Counts from the chat list (the server's), for the rooms not opened in this session. */
  seed(chats: readonly (ChatSummary | GroupChatSummary)[]): void {
    this.#listed.clear();
    for (const c of chats) this.#listed.set(c.room, c);
    this.changed();
  }

  /** A chat opened in this session: its own counts win from now on. */
  track(chat: Chat | GroupChat): void {
    if (this.#chats.get(chat.room)?.chat === chat) return;
    this.#untrack(chat.room);
    const update = () => this.changed();
    const offs = (['message', 'expired', 'read', 'unseen', 'unsent'] as const).map((e) =>
      (chat as Chat).on(e, update),
    );
    this.#chats.set(chat.room, { chat, offs });
    this.changed();
  }

  /** Forgets a room's counts (a group the user left). */
  forget(room: string): void {
    this.#untrack(room);
    this.#listed.delete(room);
    this.changed();
  }

  /** Forgets every count (sign-out). */
  end(): void {
    for (const room of [...this.#chats.keys()]) this.#untrack(room);
    this.#listed.clear();
    this.activeRoom = undefined;
    this.changed();
  }

  count(room: string): number {
    return (this.#chats.get(room)?.chat ?? this.#listed.get(room))?.unread ?? 0;
  }

  unseen(room: string): number {
    const c = this.#chats.get(room)?.chat ?? this.#listed.get(room);
    return (c && 'unseenExpired' in c && c.unseenExpired) || 0;
  }

  /** Unread messages in every chat. */
  get total(): number {
    let total = 0;
    for (const room of new Set([...this.#listed.keys(), ...this.#chats.keys()])) {
      total += this.count(room);
    }
    return total;
  }

  /** Whether the SDK keeps this room's counts (it was opened in this session). */
  tracks(room: string): boolean {
    return this.#chats.has(room);
  }

  /** A message from the peer in a room not opened here: one more unread. */
  arrived(m: ChatMessage): void {
    if (this.tracks(m.room)) return;
    const c = this.#listed.get(m.room) ?? { unread: 0 };
    this.#listed.set(m.room, { ...c, unread: c.unread + 1 });
    this.changed();
  }

  /** The server's unseen-expired count of a room not opened here. */
  setUnseen(room: string, unseenExpired: number): void {
    const c = this.#listed.get(room);
    if (this.tracks(room) || !c) return;
    this.#listed.set(room, { ...c, unseenExpired });
    this.changed();
  }

  setActiveRoom(room: string | undefined): void {
    this.activeRoom = room;
    this.changed();
  }

  #untrack(room: string): void {
    for (const off of this.#chats.get(room)?.offs ?? []) off();
    this.#chats.delete(room);
  }
}
