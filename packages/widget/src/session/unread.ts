import type { ChatMessage } from '@ephemeral-chat/sdk';
import { StoredMap } from '../storage.js';

/**
 * Unread counts per room: the peer's unexpired messages after the last one the user has seen.
 * The last-read seq of each room is kept in localStorage, per user, so counts survive a reload.
 */
export class Unread {
  readonly #read: StoredMap<number>;
  readonly #unread = new Map<string, Set<number>>();

  constructor(userId: string) {
    this.#read = new StoredMap(`read:${userId}`);
  }

  count(room: string): number {
    return this.#unread.get(room)?.size ?? 0;
  }

  lastRead(room: string): number {
    return this.#read.get(room) ?? 0;
  }

  /** Counts a peer's message unless the user has read that far. */
  add(m: ChatMessage): void {
    if (m.seq <= this.lastRead(m.room)) return;
    const set = this.#unread.get(m.room) ?? new Set();
    this.#unread.set(m.room, set.add(m.seq));
  }

  /** An expired message no longer counts: nobody can read it now. */
  remove(m: ChatMessage): void {
    this.#unread.get(m.room)?.delete(m.seq);
  }

  markRead(room: string, seq: number): void {
    const set = this.#unread.get(room);
    for (const s of set ?? []) if (s <= seq) set?.delete(s);
    if (seq > this.lastRead(room)) this.#read.set(room, seq);
  }
}
