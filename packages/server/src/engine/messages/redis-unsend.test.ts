import { randomUUID } from 'node:crypto';
import { deleteKeys, rawRedis, requireRedis, uniquePrefix } from '@ephemeral-chat/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestEngine } from '../../../test/helpers/redis-engine.js';
import { UnavailableError } from '../../errors/app-error.js';
import { defineScripts } from '../redis/redis-scripts.js';
import type { RedisEngine } from '../redis-engine.js';
import { messageScripts } from './message-scripts.js';
import { unsend } from './redis-unsend.js';

/** Every key under `prefix` with its whole value as text (SCAN: a test, not a hot path). */
async function dump(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '500');
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'zset') value = await redis.zrange(key, '0', '-1', 'WITHSCORES');
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else value = type;
      out.push(`${key} ${JSON.stringify(value)}`);
    }
  } while (cursor !== '0');
  return out;
}

describe('Unsend in Redis', () => {
  const prefix = uniquePrefix();
  let engine: RedisEngine;
  let redis: Redis;
  beforeAll(async () => {
    await requireRedis();
    engine = await connectTestEngine(prefix);
    redis = rawRedis();
  });
  afterAll(async () => {
    redis.disconnect();
    await engine.close();
    await deleteKeys(prefix);
  });

  it('leaves no trace: a SCAN of every key under the prefix finds neither its text nor its id', async () => {
    const id = randomUUID().slice(0, 8);
    const [a, b] = [`a${id}`, `b${id}`];
    const room = `dm:${a}:${b}`;
    const secret = `unsend-me-${randomUUID()}`;
    const secretId = `cm-${randomUUID()}`;
    const now = Date.now();
    const append = (text: string, clientMsgId: string, burn?: number) =>
      engine.messages.append({
        room,
        members: [a, b],
        from: a,
        text,
        ttl: 60_000,
        burn,
        clientMsgId,
        now,
      });
    await append('stays', randomUUID());
    // A burn message: it sits in the recipient's burn set too.
    const { message } = await append(secret, secretId, 10_000);
    await append('stays too', randomUUID(), 10_000);
    const before = (await dump(redis, prefix)).join('\n');
    expect(before).toContain(secret);
    expect(before).toContain(secretId);
    expect(await engine.messages.unsend(room, a, b, message.seq, now)).toBe('unsent');
    const after = (await dump(redis, prefix)).join('\n');
    expect(after).not.toContain(secret);
    expect(after).not.toContain(secretId);
    // The rest of the room is still there.
    expect(after).toContain('stays too');
    expect(await redis.zcard(`${prefix}{${room}}:burn:${b}`)).toBe(1);
  });

  it('does nothing when it runs past its deadline (its caller was told unavailable)', async () => {
    const id = randomUUID().slice(0, 8);
    const [a, b] = [`a${id}`, `b${id}`];
    const room = `dm:${a}:${b}`;
    const now = Date.now();
    const { message } = await engine.messages.append({
      room,
      members: [a, b],
      from: a,
      text: 'hello',
      ttl: 60_000,
      clientMsgId: randomUUID(),
      now,
    });
    // The script's own deadline check: a deadline already past, as a stalled Redis would see it.
    const scripted = defineScripts(redis, messageScripts);
    await expect(
      unsend(scripted, engine.bus, prefix, {
        room,
        from: a,
        peer: b,
        seq: message.seq,
        now,
        deadline: Date.now() - 1_000,
      }),
    ).rejects.toBeInstanceOf(UnavailableError);
    const page = await engine.messages.readAfter(room, 0, 10, now);
    expect(page.messages.map((m) => m.seq)).toEqual([message.seq]);
  });
});
