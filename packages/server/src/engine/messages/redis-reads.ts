import type { Message } from '@ephemeral-chat/protocol';
import { argsOf } from '../redis/lua-layout.js';
import { call, execPipeline } from '../redis/redis-call.js';
import { roomKeys, userRoomsKey } from '../redis/redis-keys.js';
import type { ScriptedPipeline, ScriptedRedis } from '../redis/redis-scripts.js';
import { execAcrossSlots } from '../redis/slot-pipelines.js';
import { sortRows } from './chat-rows.js';
import type { messageScripts } from './message-scripts.js';
import type { ChatRow, MessagePage } from './message-store.js';
import { READ_ARGV, READ_KEYS } from './read-scripts.js';

type Scripted = ScriptedRedis<typeof messageScripts>;

/** Reads of a room's messages in Redis, one Lua script each (see read-scripts.ts). */
export class RedisReads {
  readonly #redis: Scripted;

  constructor(
    redis: Scripted,
    protected readonly prefix: string,
  ) {
    this.#redis = redis;
  }

  async readAfter(
    room: string,
    after: number,
    limit: number,
    now: number,
    maxBytes?: number,
  ): Promise<MessagePage> {
    const args = this.#args(room, now, after, limit, maxBytes);
    const reply = await call(() => this.#redis.ecReadAfter(...args));
    const [more, messages] = reply as [number, string[]];
    return { messages: messages.map(parse), hasMore: more === 1 };
  }

  async readBefore(
    room: string,
    before: number | undefined,
    limit: number,
    now: number,
    maxBytes?: number,
  ): Promise<MessagePage> {
    const args = this.#args(room, now, before ?? '', limit, maxBytes);
    const reply = await call(() => this.#redis.ecReadBefore(...args));
    const [more, newestFirst] = reply as [number, string[]];
    return { messages: newestFirst.reverse().map(parse), hasMore: more === 1 };
  }

  async listChats(userId: string, limit: number, now: number): Promise<Message[]> {
    const rows = await this.listChatRows(userId, limit, now);
    return rows.flatMap((row) => (row.last ? [row.last] : []));
  }

  async listChatRows(userId: string, limit: number, now: number): Promise<ChatRow[]> {
    const key = userRoomsKey(this.prefix, userId);
    const [, rooms] = (await execPipeline(
      this.#redis.pipeline().zremrangebyscore(key, '-inf', now).zrange(key, 0, '-1'),
    )) as [number, string[]];
    if (rooms.length === 0) return [];
    // Each room's newest live message, all in one round trip (rooms sit on different slots).
    const replies = await execAcrossSlots<string, ScriptedPipeline<typeof messageScripts>>(
      this.#redis,
      rooms,
      (room) => roomKeys(this.prefix, room).idx,
      (pipeline, room) => pipeline.ecReadBefore(...this.#args(room, now, '', 1, undefined)),
    );
    const rows: ChatRow[] = [];
    for (const [i, reply] of replies.entries()) {
      const room = rooms[i] as string;
      const json = (reply as [number, string[]])[1][0];
      rows.push(json === undefined ? { room } : { room, last: parse(json) });
    }
    return sortRows(rows).slice(0, Math.max(limit, 0));
  }

  /** READ_KEYS then READ_ARGV; no byte cap: the argument is left out. */
  #args(room: string, now: number, edge: number | string, limit: number, maxBytes?: number) {
    const keys = roomKeys(this.prefix, room);
    const capped = maxBytes !== undefined && Number.isFinite(maxBytes);
    return [
      ...argsOf(READ_KEYS, { idx: keys.idx, exp: keys.exp }),
      ...argsOf(READ_ARGV, {
        base: keys.base,
        now,
        edge,
        limit: Math.max(limit, 0),
        maxBytes: capped ? maxBytes : undefined,
      }),
    ];
  }
}

export function parse(json: string): Message {
  return JSON.parse(json) as Message;
}
