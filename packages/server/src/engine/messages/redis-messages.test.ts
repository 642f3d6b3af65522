import { randomUUID } from 'node:crypto';
import {
  deleteKeys,
  rawRedis,
  requireRedis,
  startOwnRedis,
  uniquePrefix,
} from '@ephemeral-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestEngine, roomIndexSize } from '../../../test/helpers/redis-engine.js';
import type { RedisEngine } from '../redis-engine.js';
import type { AppendFields } from './message-store.js';
import { RECIPIENT_INDEX_EXTRA_MS, RECIPIENT_INDEX_LAG_MS, UNSEEN_KEEP_MS } from './retention.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisEngine messages in Redis', () => {
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

  const pair = () => {
    const id = randomUUID().slice(0, 8);
    const [a, b] = [`a${id}`, `b${id}`];
    return { a, b, room: `dm:${a}:${b}`, base: `${prefix}{dm:${a}:${b}}:` };
  };
  const send = (p: ReturnType<typeof pair>, over: Partial<AppendFields> = {}) =>
    engine.messages.append({
      room: p.room,
      members: [p.a, p.b],
      from: p.a,
      text: 'hello',
      ttl: 60_000,
      clientMsgId: randomUUID(),
      now: Date.now(),
      ...over,
    });

  it('gives the message key its TTL and the room keys the TTL of their longest message, plus slack', async () => {
    const p = pair();
    await send(p, { ttl: 60_000 });
    const { message } = await send(p, { ttl: 30_000, clientMsgId: 'c1' });
    const pttl = (key: string) => redis.pttl(key);
    // One key per message, named by its sender and clientMsgId (which makes retries idempotent).
    const short = await pttl(`${p.base}m:${p.a}:c1`);
    expect(short).toBeGreaterThan(29_000);
    expect(short).toBeLessThanOrEqual(30_000);
    expect(message.seq).toBeGreaterThan(0);
    // The room's keys outlive its longest message by a tenth of its TTL (at most a minute).
    for (const key of [`${p.base}seq`, `${p.base}idx`, `${p.base}exp`]) {
      const ttl = await pttl(key);
      expect(ttl, key).toBeGreaterThan(65_000);
      expect(ttl, key).toBeLessThanOrEqual(66_000);
    }
    // So does the sender's room index (listChats drops rooms that turn out empty); the
    // recipient's outlives it by RECIPIENT_INDEX_EXTRA_MS (unseen-expired counts stay listed),
    // and the read state by UNSEEN_KEEP_MS.
    const senderIndex = await pttl(`${prefix}u:${p.a}:rooms`);
    expect(senderIndex).toBeGreaterThan(65_000);
    expect(senderIndex).toBeLessThanOrEqual(66_000);
    const recipientIndex = await pttl(`${prefix}u:${p.b}:rooms`);
    expect(recipientIndex).toBeGreaterThan(RECIPIENT_INDEX_EXTRA_MS + 65_000);
    expect(recipientIndex).toBeLessThanOrEqual(RECIPIENT_INDEX_EXTRA_MS + 66_000);
    const read = await pttl(`${p.base}read`);
    expect(read).toBeGreaterThan(UNSEEN_KEEP_MS + 65_000);
    expect(read).toBeLessThanOrEqual(UNSEEN_KEEP_MS + 66_000);
  });

  it("keeps each member's room index entry at or past the room's newest expiry", async () => {
    const p = pair();
    const now = Date.now();
    await send(p, { ttl: 10_000, now });
    await send(p, { ttl: 20_000, now: now + 1 });
    const { message } = await send(p, { ttl: 600_000, now: now + 2 });
    // The recipient's entry outlives the message by RECIPIENT_INDEX_EXTRA_MS, give or take the
    // lag a node allows itself before rewriting it (so never less than UNSEEN_KEEP_MS).
    for (const [member, extra, lag] of [
      [p.a, 0, 0],
      [p.b, RECIPIENT_INDEX_EXTRA_MS, RECIPIENT_INDEX_LAG_MS],
    ] as const) {
      const score = Number(await redis.zscore(`${prefix}u:${member}:rooms`, p.room));
      expect(score).toBeGreaterThanOrEqual(message.expiresAt + extra - lag);
      expect(score).toBeGreaterThanOrEqual(message.expiresAt + UNSEEN_KEEP_MS * Math.sign(extra));
      expect(score).toBeLessThanOrEqual(message.expiresAt + extra + 60_000);
    }
    // A 10-s message: the sender's entry lapses at most a second after it.
    const q = pair();
    const short = await send(q, { ttl: 10_000, now });
    for (const [member, extra] of [
      [q.a, 0],
      [q.b, RECIPIENT_INDEX_EXTRA_MS],
    ] as const) {
      const score = Number(await redis.zscore(`${prefix}u:${member}:rooms`, q.room));
      expect(score - short.message.expiresAt - extra).toBeGreaterThanOrEqual(0);
      expect(score - short.message.expiresAt - extra).toBeLessThanOrEqual(1_000);
    }
  });

  it('stores the message JSON with an integer seq, exactly as returned', async () => {
    const p = pair();
    const { message } = await send(p, { now: 1_752_000_000_123, clientMsgId: 'int' });
    const stored = await redis.get(`${p.base}m:${p.a}:int`);
    expect(stored).toBe(JSON.stringify(message));
    expect(await redis.get(`${p.base}seq`)).toBe('1752000000123');
  });

  it('lets Redis reclaim a room whose messages expired, and restarts its seq at the clock', async () => {
    const p = pair();
    const first = await send(p, { ttl: 300 });
    await send(p, { ttl: 300 });
    await sleep(450);
    const keys = ['seq', 'idx', 'exp', `m:${p.a}:${first.message.clientMsgId}`].map(
      (k) => p.base + k,
    );
    expect(await redis.exists(...keys)).toBe(0);
    const now = Date.now();
    const restarted = await send(p, { ttl: 300, now });
    expect(restarted.message.seq).toBe(now);
    expect(restarted.message.seq).toBeGreaterThan(first.message.seq + 1);
  });

  it('prunes thousands of expired entries in one read (chunked ZREM)', async () => {
    const p = pair();
    const now = Date.now();
    const count = 8_200;
    for (let i = 0; i < count; i += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, count - i) }, () =>
        send(p, { ttl: 10_000, now }),
      );
      await Promise.all(batch);
    }
    expect(await roomIndexSize(prefix, p.room)).toBe(count);
    expect((await engine.messages.readAfter(p.room, 0, 10, now + 10_000)).messages).toEqual([]);
    expect(await roomIndexSize(prefix, p.room)).toBe(0);
  }, 30_000);

  it('drops an index entry whose message key Redis already removed', async () => {
    const p = pair();
    const a = await send(p);
    const b = await send(p);
    const c = await send(p);
    await redis.del(`${p.base}m:${p.a}:${b.message.clientMsgId}`);
    expect((await engine.messages.readAfter(p.room, 0, 2, Date.now())).messages).toEqual([
      a.message,
      c.message,
    ]);
    expect(await roomIndexSize(prefix, p.room)).toBe(2);
  });
});

describe('RedisEngine sends, batched', () => {
  it("stores one turn's sends, across rooms, with one script call, each answered in order", async () => {
    await using own = await startOwnRedis();
    const prefix = uniquePrefix();
    const engine = await connectTestEngine(prefix, { url: own.url });
    const stats = new Redis(own.url);
    const scriptCalls = async () => {
      const info = await stats.info('commandstats');
      const calls = (name: string) =>
        Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
      return calls('eval') + calls('evalsha');
    };
    try {
      const now = Date.now();
      const send = (room: string, from: string, to: string, i: number) =>
        engine.messages.append({
          room,
          members: [from, to],
          from,
          text: `m${i}`,
          ttl: 60_000,
          clientMsgId: `c${i}`,
          now,
        });
      // Warm up (the first call per connection is EVAL; room index entries get written).
      await Promise.all([send('dm:a:b', 'a', 'b', 0), send('dm:c:d', 'c', 'd', 0)]);
      const before = await scriptCalls();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 ? send('dm:a:b', 'a', 'b', i + 1) : send('dm:c:d', 'c', 'd', i + 1),
        ),
      );
      expect(await scriptCalls()).toBe(before + 1);
      expect(results.map((r) => r.message.text)).toEqual(
        Array.from({ length: 20 }, (_, i) => `m${i + 1}`),
      );
      for (const room of ['dm:a:b', 'dm:c:d']) {
        const seqs = results.filter((r) => r.message.room === room).map((r) => r.message.seq);
        expect(seqs).toEqual(seqs.map((_, i) => now + 1 + i));
      }
    } finally {
      stats.disconnect();
      await engine.close();
    }
  });
});
