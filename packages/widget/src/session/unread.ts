import type { ChatMessage } from '@ephemeral-chat/sdk';
import { StoredMap } from '../storage.js';
import { Observable } from './observable.js';

/**
 * Unread counts per room: the peer's unexpired messages after the last one the user has seen,
 * and the room on screen, whose messages count as read as they arrive. The last-read seq of each
 * room is kept in localStorage, per user, so counts survive a reload.
 */
export class Unread extends Observable {
  /** The room on screen. */
  activeRoom: string | undefined;
  #read: StoredMap<number> | undefined;
  readonly #unread = new Map<string, Set<number>>();

  /** Starts counting for `userId` (at sign-in). */
  begin(userId: string): void {
    this.#read = new StoredMap(`read:${userId}`);
    this.#unread.clear();
    this.changed();
  }

  /** Forgets the signed-out user's counts. */
  end(): void {
    this.#read = undefined;
    this.#unread.clear();
    this.activeRoom = undefined;
    this.changed();
  }

  count(room: string): number {
    return this.#unread.get(room)?.size ?? 0;
  }

  lastRead(room: string): number {
    return this.#read?.get(room) ?? 0;
  }

  /** A peer's message arrived: read at once on screen, else counted. */
  arrived(m: ChatMessage): void {
    if (m.room === this.activeRoom) this.markRead(m.room, m.seq);
    else this.add(m);
  }

  /** Counts a peer's message unless the user has read that far. */
  add(m: ChatMessage): void {
    if (!this.#read || m.seq <= this.lastRead(m.room)) return;
    const set = this.#unread.get(m.room) ?? new Set();
    this.#unread.set(m.room, set.add(m.seq));
    this.changed();
  }

  /** An expired message no longer counts: nobody can read it now. */
  remove(m: ChatMessage): void {
    if (this.#unread.get(m.room)?.delete(m.seq)) this.changed();
  }

  /** Marks the room's messages up to `seq` as read. */
  markRead(room: string, seq: number): void {
    const set = this.#unread.get(room);
    for (const s of set ?? []) if (s <= seq) set?.delete(s);
    if (this.#read && seq > this.lastRead(room)) this.#read.set(room, seq);
    this.changed();
  }

  setActiveRoom(room: string | undefined): void {
    this.activeRoom = room;
    this.changed();
  }
}
