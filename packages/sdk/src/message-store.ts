import type { Message } from '@ephemeral-chat/protocol';
import type { Clock } from './clock.js';
import type { ChatError } from './errors.js';
import type { ExpiryQueue } from './expiry-queue.js';
import { type ChatMessage, toChatMessage } from './message.js';

/** One `resumed` reply: a page after the cursor, and whether more follow it. */
export interface ResumedPage {
  messages: readonly Message[];
  hasMore: boolean;
}

/** What the client knows of one room. */
interface Room {
  readonly id: string;
  readonly messages: Map<number, ChatMessage>;
  /** Every unexpired message up to this seq has been received (undefined: room not followed). */
  cursor: number | undefined;
  /** Highest seq seen live. */
  top: number;
  resuming: boolean;
  /** The room's `Chat`, told of its own messages after the client is. */
  listener?: RoomListener | undefined;
}

/** What a store reports about one room's messages. */
export interface RoomListener {
  message(m: ChatMessage): void;
  expired(m: ChatMessage): void;
}

export interface StoreEvents extends RoomListener {
  error(e: ChatError): void;
}

/**
 * Every unexpired message the client holds, per room, deduplicated by (room, seq). Each message
 * is removed (and reported) at its expiresAt by the one expiry queue. A jump in seq, or a
 * reconnect, asks the server for everything after the room's cursor (`resume`).
 */
export class MessageStore {
  #rooms = new Map<string, Room>();
  /** `room seq` of every message unsent while this user was signed in: never held again. */
  #gone = new Set<string>();

  readonly #clock: Clock;
  readonly #queue: ExpiryQueue;
  readonly #on: StoreEvents;
  readonly #fetchAfter: (room: string, after: number) => Promise<ResumedPage>;

  constructor(
    clock: Clock,
    queue: ExpiryQueue,
    on: StoreEvents,
    fetchAfter: (room: string, after: number) => Promise<ResumedPage>,
  ) {
    this.#clock = clock;
    this.#queue = queue;
    this.#on = on;
    this.#fetchAfter = fetchAfter;
  }

  /** The room's unexpired messages, ascending by seq. */
  list(room: string): ChatMessage[] {
    const now = this.#clock.now();
    const all = [...(this.#rooms.get(room)?.messages.values() ?? [])];
    return all.filter((m) => m.expiresAt > now).sort((a, b) => a.seq - b.seq);
  }

  /**
   * A page from `open` (`latest`: it is the room's newest, so the room is followed from its top)
   * or `history` (older: stored silently). Returns its unexpired messages.
   */
  page(id: string, page: readonly Message[], latest: boolean): ChatMessage[] {
    const room = this.#room(id);
    const before = room.cursor;
    const out: ChatMessage[] = [];
    // A page holds every live message between its first and last: one held in that range but
    // not in it is gone on the server (unsent, or burnt, while this client missed the event).
    const lo = page[0]?.seq ?? 0;
    const hi = page.at(-1)?.seq ?? 0;
    for (const s of [...room.messages.keys()]) {
      if (s > lo && s < hi && !page.some((m) => m.seq === s)) this.unsend(id, s);
    }
    for (const m of page) {
      const fresh = latest && before !== undefined && m.seq > before;
      const cm = this.#keep(room, m, fresh);
      if (cm) out.push(cm);
      if (latest) room.top = Math.max(room.top, m.seq);
    }
    if (latest) room.cursor = Math.max(before ?? 0, room.top);
    return out;
  }

  /** A live message: kept and reported once; a seq beyond the cursor means one was missed. */
  live(m: Message): void {
    const room = this.#room(m.room);
    // At or below the cursor and not held: it was held and has expired (maybe burnt sooner than
    // this late copy says), so it never comes back.
    if (m.seq <= (room.cursor ?? -1) && !room.messages.has(m.seq)) return;
    this.#keep(room, m, true);
    room.top = Math.max(room.top, m.seq);
    // A room first seen live is followed from here on; its past belongs to `open`.
    room.cursor ??= m.seq;
    this.#advance(room);
    if (room.top > room.cursor) this.#resume(room);
  }

  /** The stored message of an ack (the live copy follows); undefined if already expired. */
  acked(m: Message): ChatMessage | undefined {
    const room = this.#room(m.room);
    const cm = this.#keep(room, m, true);
    this.#advance(room);
    return cm;
  }

  /**
   * Message `seq` of `room` now expires at `expiresAt` (a burn started): the held copy is replaced
   * by one with the new time and dropped then. Never later than it was. Returns the new copy.
   */
  expire(room: string, seq: number, expiresAt: number): ChatMessage | undefined {
    const r = this.#rooms.get(room);
    const old = r?.messages.get(seq);
    return r && old && expiresAt < old.expiresAt ? this.#hold(r, { ...old, expiresAt }) : undefined;
  }

  /**
   * Message `seq` of `room` was unsent: dropped at once (its expiry becomes a no-op, nothing is
   * reported) and never held again, whichever copy comes later. False when already known.
   */
  unsend(room: string, seq: number): boolean {
    this.#rooms.get(room)?.messages.delete(seq);
    const key = `${room} ${seq}`;
    return !this.#gone.has(key) && !!this.#gone.add(key);
  }

  /** Whether message `seq` of `room` was unsent. */
  isGone(room: string, seq: number): boolean {
    return this.#gone.has(`${room} ${seq}`);
  }

  /** Reports the messages and expiries of room `id` to `listener` too (one per room). */
  listen(id: string, listener: RoomListener): void {
    this.#room(id).listener = listener;
  }

  /** Forgets room `id`: its messages go without being reported (the user left the group). */
  drop(id: string): void {
    this.#rooms.get(id)?.messages.clear();
    this.#rooms.delete(id);
  }

  /**
   * Drops every held message and room listener without reporting anything (sign-out): pending
   * expiries become no-ops.
   */
  clear(): void {
    for (const room of this.#rooms.values()) room.messages.clear();
    this.#rooms = new Map();
    this.#gone.clear();
  }

  /** After a (re)connect: every followed room fetches what it missed. */
  resync(): void {
    for (const room of this.#rooms.values()) if (room.cursor !== undefined) this.#resume(room);
  }

  #room(id: string): Room {
    let room = this.#rooms.get(id);
    if (!room) {
      room = { id, messages: new Map(), cursor: undefined, top: 0, resuming: false };
      this.#rooms.set(id, room);
    }
    return room;
  }

  /**
   * Stores `m` unless it is expired or known (a known one takes an earlier `expiresAt`: a burn
   * whose `expiry` event was missed); reports it as new when `report`.
   */
  #keep(room: Room, m: Message, report: boolean): ChatMessage | undefined {
    // A page that a dropped room's resume brings late is not held either.
    if (this.isGone(m.room, m.seq) || this.#rooms.get(room.id) !== room) return;
    const known = room.messages.get(m.seq);
    if (known) return this.expire(m.room, m.seq, m.expiresAt) ?? known;
    if (m.expiresAt <= this.#clock.now()) return;
    const cm = this.#hold(room, m);
    if (report) {
      this.#on.message(cm);
      room.listener?.message(cm);
    }
    return cm;
  }

  /** Holds `m` (replacing any copy) until its expiresAt, then drops and reports it. */
  #hold(room: Room, m: Message): ChatMessage {
    const cm = toChatMessage(m, this.#clock);
    room.messages.set(m.seq, cm);
    this.#queue.add(m.expiresAt, () => {
      if (room.messages.get(m.seq) !== cm) return;
      room.messages.delete(m.seq);
      this.#on.expired(cm);
      room.listener?.expired(cm);
    });
    return cm;
  }

  #advance(room: Room): void {
    if (room.cursor === undefined) return;
    while (room.messages.has(room.cursor + 1) || this.isGone(room.id, room.cursor + 1)) {
      room.cursor++;
    }
  }

  async #resume(room: Room): Promise<void> {
    if (room.resuming) return; // the running one re-checks when it ends
    room.resuming = true;
    // Everything up to `target` was written before the first request, so the last page covers it.
    const target = room.top;
    try {
      // Replies are bounded in bytes: page on from the last seq while the server has more (a
      // sign-out mid-way ends the loop: its requests fail, the socket being closed first).
      for (let more = true; more; ) {
        const page = await this.#fetchAfter(room.id, room.cursor ?? 0);
        more = page.hasMore && page.messages.length > 0;
        let top = more ? 0 : target;
        // Pages come oldest first (protocol), so events follow seq order.
        for (const m of page.messages) {
          this.#keep(room, m, true);
          top = Math.max(top, m.seq);
        }
        room.top = Math.max(room.top, top);
        room.cursor = Math.max(room.cursor ?? 0, top);
        this.#advance(room);
      }
    } catch (err) {
      const e = err as ChatError;
      // A busy server says when to come back; the pages so far are kept.
      if (e.code === 'rate_limited') {
        setTimeout(() => void this.#resume(room), (e.retryAfter ?? 1) * 1000);
      }
      // A lost socket is not an error here: the reconnect resumes every room.
      else if (e.code !== 'disconnected' && e.code !== 'not_connected') this.#on.error(e);
      return;
    } finally {
      room.resuming = false;
    }
    if (room.cursor !== undefined && room.top > room.cursor) void this.#resume(room);
  }
}
