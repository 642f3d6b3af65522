import { type ChatSettings, encodeMessageEvent, type Message } from '@ephemeral-chat/protocol';
import { roomTopic, userTopic } from '../../delivery/topics.js';
import { ExpiringMap } from '../memory/expiring-map.js';
import { sortRows } from './chat-rows.js';
import { GROUP_READ_SENDERS_MAX, GROUP_READ_SPAN_MAX } from './group-scripts.js';
import { purgeMemory } from './memory-purge.js';
import { MemoryRoom } from './memory-room.js';
import type {
  AppendInput,
  AppendResult,
  ChatRow,
  MarkResult,
  MessagePage,
  MessageStore,
  PurgeResult,
  ReadMark,
  ReadState,
  SettingsPatch,
  SettingsResult,
  UnsendResult,
} from './message-store.js';
import { RECIPIENT_INDEX_EXTRA_MS, SETTINGS_KEEP_MS } from './retention.js';
import { patchSettings } from './settings-patch.js';

/**
 * Messages of every room in this process, and per user the rooms they have messages in (with the
 * latest expiresAt, so a user's index forgets a room once all its messages have expired).
 */
export class MemoryMessageStore implements MessageStore {
  readonly #rooms = new Map<string, MemoryRoom>();
  /** user → room → until when the room is listed (a recipient's entry outlives the messages). */
  readonly #userRooms = new Map<string, Map<string, number>>();
  readonly #settings = new ExpiringMap<ChatSettings>();

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
    // (burn, when set, just before expiresAt, which stays last: see delivery/live-expiry.ts.)
    const message: Message = Object.freeze({
      room: roomId,
      seq,
      from: input.from,
      text: input.text,
      clientMsgId: input.clientMsgId,
      createdAt: now,
      ttl: input.ttl,
      ...(input.mac === undefined ? {} : { mac: input.mac }),
      ...(input.burn === undefined ? {} : { burn: input.burn }),
      expiresAt: now + input.ttl,
    });
    const json = JSON.stringify(message);
    const frame = encodeMessageEvent(json);
    if (input.group) {
      room.add(message, undefined);
      this.publish(roomTopic(roomId), frame);
      return { message, json, duplicate: false };
    }
    const [first, second] = input.members;
    const to = first === input.from ? second : first;
    room.add(message, to);
    for (const member of new Set(input.members)) {
      const rooms = this.#userRooms.get(member) ?? new Map<string, number>();
      this.#userRooms.set(member, rooms);
      const until = message.expiresAt + (member === to ? RECIPIENT_INDEX_EXTRA_MS : 0);
      rooms.set(roomId, Math.max(rooms.get(roomId) ?? 0, until));
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
    const rows = await this.listChatRows(userId, limit, now);
    return rows.flatMap((row) => (row.last ? [row.last] : []));
  }

  async listChatRows(userId: string, limit: number, now: number): Promise<ChatRow[]> {
    const rooms = this.#userRooms.get(userId);
    if (!rooms) return [];
    const rows: ChatRow[] = [];
    for (const [roomId, until] of rooms) {
      if (until <= now) {
        rooms.delete(roomId);
        continue;
      }
      const last = this.#live(roomId, now)?.messages.at(-1);
      rows.push(last ? { room: roomId, last } : { room: roomId });
    }
    if (rooms.size === 0) this.#userRooms.delete(userId);
    return sortRows(rows).slice(0, Math.max(limit, 0));
  }

  async markRead(
    roomId: string,
    member: string,
    peer: string,
    seq: number,
    now: number,
  ): Promise<ReadMark> {
    const room = this.#live(roomId, now);
    if (!room) return { seq: 0, moved: false, burned: [], burnMore: false, unseenCleared: 0 };
    const mark = room.markRead(member, seq, now);
    // The same events, in the same order and bytes, as the Redis store's MARKS script.
    const toBoth = (event: string) => {
      this.publish(userTopic(member), event);
      if (peer !== member) this.publish(userTopic(peer), event);
    };
    const inRoom = `,"room":${JSON.stringify(roomId)}`;
    if (mark.moved) {
      toBoth(`{"type":"read"${inRoom},"userId":${JSON.stringify(member)},"seq":${mark.seq}}`);
    }
    if (mark.unseenCleared > 0) {
      this.publish(userTopic(member), `{"type":"unseen"${inRoom},"unseenExpired":0}`);
    }
    for (const burn of mark.burned) {
      toBoth(`{"type":"expiry"${inRoom},"seq":${burn.seq},"expiresAt":${burn.expiresAt}}`);
    }
    return mark;
  }

  async markDelivered(
    roomId: string,
    member: string,
    peer: string,
    seq: number,
  ): Promise<MarkResult> {
    const room = this.#rooms.get(roomId);
    if (!room) return { seq: 0, moved: false };
    const mark = room.markDelivered(member, seq);
    if (mark.moved) {
      const event = `{"type":"delivered","room":${JSON.stringify(roomId)},"userId":${JSON.stringify(member)},"seq":${mark.seq}}`;
      this.publish(userTopic(peer), event);
    }
    return mark;
  }

  async unsend(
    roomId: string,
    from: string,
    peer: string,
    seq: number,
    now: number,
  ): Promise<UnsendResult> {
    const result = this.#live(roomId, now)?.unsend(from, peer, seq) ?? 'not_found';
    if (result === 'unsent') {
      // The same bytes as the Redis store's UNSEND script.
      const event = `{"type":"unsent","room":${JSON.stringify(roomId)},"seq":${seq}}`;
      this.publish(userTopic(from), event);
      this.publish(userTopic(peer), event);
    }
    return result;
  }

  async unsendInGroup(
    roomId: string,
    from: string,
    seq: number,
    now: number,
  ): Promise<UnsendResult> {
    const result = this.#live(roomId, now)?.unsend(from, undefined, seq) ?? 'not_found';
    if (result === 'unsent') {
      this.publish(
        roomTopic(roomId),
        `{"type":"unsent","room":${JSON.stringify(roomId)},"seq":${seq}}`,
      );
    }
    return result;
  }

  async markGroupRead(
    roomId: string,
    member: string,
    members: readonly string[],
    seq: number,
    now: number,
  ): Promise<ReadMark> {
    const room = this.#live(roomId, now);
    if (!room) return { seq: 0, moved: false, burned: [], burnMore: false, unseenCleared: 0 };
    const before = room.reads.get(member) ?? 0;
    const mark = room.markGroupRead(member, members, seq, now);
    // The same events, in the same order and bytes, to the same topics as the Redis store's
    // GROUP_READ script: a read to the reader and the senders it covers (else the room).
    const inRoom = `,"room":${JSON.stringify(roomId)}`;
    const topic = roomTopic(roomId);
    if (mark.moved) {
      const event = `{"type":"read"${inRoom},"userId":${JSON.stringify(member)},"seq":${mark.seq}}`;
      const covered = room.messages.slice(room.firstAfter(before), room.firstAfter(mark.seq));
      const to = new Set([member, ...covered.map((m) => m.from)]);
      const wide = covered.length > GROUP_READ_SPAN_MAX || to.size > GROUP_READ_SENDERS_MAX + 1;
      if (wide) this.publish(topic, event);
      else for (const id of to) this.publish(userTopic(id), event);
    }
    for (const burn of mark.burned) {
      this.publish(
        topic,
        `{"type":"expiry"${inRoom},"seq":${burn.seq},"expiresAt":${burn.expiresAt}}`,
      );
    }
    return mark;
  }

  async joinGroup(roomId: string, members: readonly string[], now: number): Promise<void> {
    this.#live(roomId, now)?.join(members);
  }

  async readSeqs(roomId: string, members: readonly string[]): Promise<number[]> {
    const room = this.#rooms.get(roomId);
    return members.map((m) => room?.reads.get(m) ?? 0);
  }

  async readStates(
    member: string,
    rooms: readonly { room: string; peer: string }[],
    now: number,
  ): Promise<ReadState[]> {
    return rooms.map(({ room: roomId, peer }) => {
      const room = this.#live(roomId, now);
      if (room) return room.state(member, peer);
      return { readSeq: 0, peerReadSeq: 0, peerDeliveredSeq: 0, unread: 0, unseenExpired: 0 };
    });
  }

  async settings(roomId: string, now: number): Promise<ChatSettings> {
    return this.#settings.live(roomId, now)?.value ?? {};
  }

  async setSettings(roomId: string, patch: SettingsPatch, now: number): Promise<SettingsResult> {
    const result = patchSettings(await this.settings(roomId, now), patch);
    if (result.ok) this.#settings.set(roomId, result.settings, now + SETTINGS_KEEP_MS);
    return result;
  }

  /** A message's expiresAt while this process still holds it, expired or not (expiry metrics). */
  heldUntil(roomId: string, from: string, clientMsgId: string): number | undefined {
    return this.#rooms.get(roomId)?.held(from, clientMsgId)?.expiresAt;
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
      // Read state (unseen-expired counts) outlives the messages by UNSEEN_KEEP_MS.
      if (room.messages.length === 0 && room.keepUntil <= now) this.#rooms.delete(roomId);
    }
    for (const [userId, rooms] of this.#userRooms) {
      for (const [roomId, until] of rooms) if (until <= now) rooms.delete(roomId);
      if (rooms.size === 0) this.#userRooms.delete(userId);
    }
    this.#settings.reclaim(now);
  }

  clear(): void {
    this.#rooms.clear();
    this.#userRooms.clear();
    this.#settings.clear();
  }

  #live(roomId: string, now: number): MemoryRoom | undefined {
    const room = this.#rooms.get(roomId);
    room?.prune(now);
    return room;
  }

  /** Account deletion (memory-purge.ts). */
  async purgeUser(
    userId: string,
    groupRooms: readonly string[],
    now: number,
  ): Promise<PurgeResult> {
    const state = { rooms: this.#rooms, userRooms: this.#userRooms, settings: this.#settings };
    return purgeMemory({ ...state, publish: this.publish }, userId, groupRooms, now);
  }
}
