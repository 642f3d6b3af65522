import type { Message } from '@ephemeral-chat/protocol';
import type { AppendInput, AppendResult } from '../engine.js';
import { call, execPipeline } from './redis-call.js';
import { roomKeys, userRoomsKey } from './redis-keys.js';
import { type ScriptedRedis, scriptedPipeline } from './redis-scripts.js';

/** Messages in Redis: one Lua script per send and per read (see message-scripts.ts). */
export class RedisMessages {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly prefix: string,
  ) {}

  async append(input: AppendInput): Promise<AppendResult> {
    const { room, now, ttl } = input;
    const keys = roomKeys(this.prefix, room);
    const expiresAt = now + ttl;
    // Same key order as JSON.stringify of a Message; the script splices the seq in between.
    const head = `{"room":${JSON.stringify(room)},"seq":`;
    const rest = JSON.stringify({
      from: input.from,
      text: input.text,
      clientMsgId: input.clientMsgId,
      createdAt: now,
      ttl,
      expiresAt,
    });
    const [a, b] = input.members;
    const pipeline = scriptedPipeline(this.redis);
    pipeline.ecAppend(
      keys.seq,
      keys.idx,
      keys.exp,
      keys.client(input.from, input.clientMsgId),
      keys.base,
      now,
      ttl,
      expiresAt,
      head,
      `,${rest.slice(1)}`,
      `${this.prefix}user:${a}`,
      `${this.prefix}user:${b}`,
    );
    // The members' room indexes live on other cluster slots, so they cannot be inside the script;
    // they ride in the same pipeline (same round trip). A retry that turns out a duplicate only
    // re-asserts an expiry that listChats checks against the room anyway.
    for (const member of new Set(input.members)) {
      pipeline.ecTouchUserRoom(userRoomsKey(this.prefix, member), room, expiresAt, ttl);
    }
    const [reply] = await execPipeline(pipeline);
    const [duplicate, json] = reply as [number, string];
    return { message: JSON.parse(json) as Message, duplicate: duplicate === 1 };
  }

  async readAfter(room: string, after: number, limit: number, now: number): Promise<Message[]> {
    const keys = roomKeys(this.prefix, room);
    const reply = await call(() =>
      this.redis.ecReadAfter(keys.idx, keys.exp, keys.base, now, after, Math.max(limit, 0)),
    );
    return (reply as string[]).map(parse);
  }

  async readBefore(room: string, before: number | undefined, limit: number, now: number) {
    const keys = roomKeys(this.prefix, room);
    const reply = await call(() =>
      this.redis.ecReadBefore(keys.idx, keys.exp, keys.base, now, before ?? '', Math.max(limit, 0)),
    );
    const [more, newestFirst] = reply as [number, string[]];
    return { messages: newestFirst.reverse().map(parse), hasMore: more === 1 };
  }

  async listChats(userId: string, limit: number, now: number): Promise<Message[]> {
    const key = userRoomsKey(this.prefix, userId);
    const [, rooms] = (await execPipeline(
      this.redis.pipeline().zremrangebyscore(key, '-inf', now).zrange(key, 0, '-1'),
    )) as [number, string[]];
    if (rooms.length === 0) return [];
    // Each room's newest live message, all in one round trip (rooms sit on different slots).
    const pipeline = scriptedPipeline(this.redis);
    for (const room of rooms) {
      const keys = roomKeys(this.prefix, room);
      pipeline.ecReadBefore(keys.idx, keys.exp, keys.base, now, '', 1);
    }
    const lasts: Message[] = [];
    for (const reply of await execPipeline(pipeline)) {
      const json = (reply as [number, string[]])[1][0];
      if (json !== undefined) lasts.push(parse(json));
    }
    lasts.sort((x, y) => y.createdAt - x.createdAt || y.seq - x.seq);
    return lasts.slice(0, Math.max(limit, 0));
  }
}

function parse(json: string): Message {
  return JSON.parse(json) as Message;
}
