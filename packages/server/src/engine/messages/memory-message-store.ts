import { encodeMessageEvent, type Message } from '@ephemeral-chat/protocol';
import { userTopic } from '../../delivery/topics.js';
import { MemoryRoom } from './memory-room.js';
import type {
  AppendInput,
  AppendResult,
  MarkResult,
  MessagePage,
  MessageStore,
  ReadState,
} from './message-store.js';

/**
 * Messages of every room in this process, and per user the rooms they have messages in (with the
 * latest expiresAt, so a user's index forgets a room once all its messages have expired).
 */
export class MemoryMessageStore implements MessageStore {
  readonly #rooms = new Map<string, MemoryRoom>();
  readonly #userRooms = new Map<string, Map<string, number>>();

  constructor(private readonly publish: (topic: string, payload: string) => void) {}

  /**
   * No await inside: the write takes effect within the call, before its caller can have been told
   * it failed, so `input.deadline` never binds here (the Redis store needs it for stalls).
   */
  async append(input: AppendInput): Promise<AppendResult> {
    const { room: roomId, now } = input;
    let room = this.#rooms.get(roomId);
    const prior = room?.sent(input.from, input.clientMsgId, now);
    if (prior) return { message: prior, json: JSON.stringify(prior), duplicate: true };
    if (!room) {
      room = new MemoryRoom();
      this.#rooms.set(roomId, room);
    }
    room.prune(now);
    // A room with no live message is forgotten: its seq restarts at the clock, so it still grows.
    const seq = room.messages.length > 0 ? room.seq + 1 : Math.max(now, room.seq + 1);
    // Key order matches the RedisEngine's JSON, so both publish the same bytes.
    const message: Message = Object.freeze({
      room: roomId,
      seq,
      from: input.from,
      text: input.text,
      clientMsgId: input.clientMsgId,
      createdAt: now,
      ttl: input.ttl,
      expiresAt: now + input.ttl,
    });
    room.add(message);
    const json = JSON.stringify(message);
    const frame = encodeMessageEvent(json);
    for (const member of new Set(input.members)) {
      const rooms = this.#userRooms.get(member) ?? new Map<string, number>();
      this.#userRooms.set(member, rooms);
      rooms.set(roomId, Math.max(rooms.get(roomId) ?? 0, message.expiresAt));
      this.publish(userTopic(member), frame);
    }
    return { message, json, duplicate: false };
  }

  async readAfter(
    roomId: string,
    after: number,
    limit: number,
    now: number,
    maxBytes = Infinity,
  ): Promise<MessagePage> {
    const room = this.#live(roomId, now);
    if (!room) return { messages: [], hasMore: false };
    const start = room.firstAfter(after);
    const end = start + room.fit(start, 1, limit, maxBytes);
    return { messages: room.messages.slice(start, end), hasMore: end < room.messages.length };
  }

  async readBefore(
    roomId: string,
    before: number | undefined,
    limit: number,
    now: number,
    maxBytes = Infinity,
  ): Promise<MessagePage> {
    const room = this.#live(roomId, now);
    if (!room) return { messages: [], hasMore: false };
    const end = before === undefined ? room.messages.length : room.firstAfter(before - 1);
    const start = end - room.fit(end - 1, -1, limit, maxBytes);
    return { messages: room.messages.slice(start, end), hasMore: start > 0 };
  }

  async listChats(userId: string, limit: number, now: number): Promise<Message[]> {
    const rooms = this.#userRooms.get(userId);
    if (!rooms) return [];
    const lasts: Message[] = [];
    for (const [roomId, latestExpiry] of rooms) {
      const last = latestExpiry > now ? this.#live(roomId, now)?.messages.at(-1) : undefined;
      if (last) lasts.push(last);
      else rooms.delete(roomId);
    }
    if (rooms.size === 0) this.#userRooms.delete(userId);
    lasts.sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
    return lasts.slice(0, Math.max(limit, 0));
  }

  async markRead(roomId: string, member: string, seq: number): Promise<MarkResult> {
    const room = this.#rooms.get(roomId);
    // A room with no message held keeps nothing (as Redis, whose read key lives with the index).
    if (!room || room.messages.length === 0) {
      return { seq: room?.reads.get(member) ?? 0, moved: false };
    }
    return room.markRead(member, seq);
  }

  async readStates(
    member: string,
    rooms: readonly { room: string; peer: string }[],
    now: number,
  ): Promise<ReadState[]> {
    return rooms.map(({ room: roomId, peer }) => {
      const room = this.#live(roomId, now);
      return {
        readSeq: room?.reads.get(member) ?? 0,
        peerReadSeq: room?.reads.get(peer) ?? 0,
        unread: room?.unread(member) ?? 0,
      };
    });
  }

  /** Index entries held for a room (expired ones included until pruned): for tests. */
  indexSize(roomId: string): number {
    return this.#rooms.get(roomId)?.messages.length ?? 0;
  }

  /** How much is held, for tests that check the sweep reclaims everything. */
  sizes(): { rooms: number; messages: number; userIndexes: number } {
    let messages = 0;
    for (const room of this.#rooms.values()) messages += room.messages.length;
    return { rooms: this.#rooms.size, messages, userIndexes: this.#userRooms.size };
  }

  reclaim(now: number): void {
    for (const [roomId, room] of this.#rooms) {
      room.prune(now);
      if (room.messages.length === 0) this.#rooms.delete(roomId);
    }
    for (const [userId, rooms] of this.#userRooms) {
      for (const [roomId, latestExpiry] of rooms) if (latestExpiry <= now) rooms.delete(roomId);
      if (rooms.size === 0) this.#userRooms.delete(userId);
    }
  }

  clear(): void {
    this.#rooms.clear();
    this.#userRooms.clear();
  }

  #live(roomId: string, now: number): MemoryRoom | undefined {
    const room = this.#rooms.get(roomId);
    room?.prune(now);
    return room;
  }
}
