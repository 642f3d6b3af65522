import {
  deleteKeys,
  rawRedis,
  requireRedis,
  startOwnRedis,
  uniquePrefix,
} from '@ephemeral-chat/testkit';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTestEngine } from '../../../test/helpers/redis-engine.js';
import { UnavailableError } from '../../errors/app-error.js';
import { RedisBus } from './redis-bus.js';

const quiet = { warn: () => {}, info: () => {} };

/** How many PUBLISH commands a Redis has run (scripts' included). */
async function publishes(redis: Redis): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(/cmdstat_publish:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

const input = (now: number) => ({
  room: 'dm:alice:bob',
  members: ['alice', 'bob'] as const,
  from: 'alice',
  text: 'hi',
  ttl: 60_000,
  clientMsgId: `c${now}`,
  now,
});

describe('RedisEngine fan-out between nodes', () => {
  const prefix = uniquePrefix();
  beforeAll(requireRedis);
  afterEach(() => deleteKeys(prefix));

  it('delivers across two engines on the same prefix, and not after unsubscribe', async () => {
    const [node1, node2] = [await connectTestEngine(prefix), await connectTestEngine(prefix)];
    try {
      const heard1: string[] = [];
      const heard2: string[] = [];
      await node1.bus.subscribe('user:bob', (p) => heard1.push(p));
      await node2.bus.subscribe('user:bob', (p) => heard2.push(p));
      const { message } = await node1.messages.append(input(Date.now()));
      const frame = JSON.stringify({ type: 'message', message });
      await expect.poll(() => heard2).toEqual([frame]);
      await expect.poll(() => heard1).toEqual([frame]);

      await node2.bus.unsubscribe('user:bob');
      await node2.bus.publish('user:bob', 'after');
      await expect.poll(() => heard1).toEqual([frame, 'after']);
      expect(heard2).toEqual([frame]);
    } finally {
      await Promise.all([node1.close(), node2.close()]);
    }
  });

  it('hears its own messages once, and costs Redis no PUBLISH when every member is local', async () => {
    await using own = await startOwnRedis();
    const engine = await connectTestEngine(prefix, { url: own.url });
    const stats = new Redis(own.url);
    try {
      const heard: string[] = [];
      await engine.bus.subscribe('user:alice', (p) => heard.push(`alice ${p}`));
      await engine.bus.subscribe('user:bob', (p) => heard.push(`bob ${p}`));
      const before = await publishes(stats);
      const { message } = await engine.messages.append(input(Date.now()));
      const frame = JSON.stringify({ type: 'message', message });
      // Delivered before messages.append resolves, so a sender's ack never overtakes the peer's copy.
      expect(heard).toEqual([`alice ${frame}`, `bob ${frame}`]);
      expect(await publishes(stats)).toBe(before);

      // Another subscriber (another node) makes the script publish, and this node ignores its echo.
      const other = new Redis(own.url);
      const otherHeard: string[] = [];
      other.on('message', (_c: string, p: string) => otherHeard.push(p));
      await other.subscribe(`${prefix}user:bob`);
      const second = await engine.messages.append({ ...input(Date.now()), clientMsgId: 'c2' });
      expect(await publishes(stats)).toBe(before + 1);
      await expect.poll(() => otherHeard.length).toBe(1);
      expect(otherHeard[0]).toMatch(/^[0-9a-f]{16}\{"type":"message"/);
      await engine.bus.publish('user:bob', 'marker');
      await expect.poll(() => heard.at(-1)).toBe('bob marker');
      const frame2 = JSON.stringify({ type: 'message', message: second.message });
      expect(heard).toEqual([
        `alice ${frame}`,
        `bob ${frame}`,
        `alice ${frame2}`,
        `bob ${frame2}`,
        'bob marker',
      ]);
      other.disconnect();
    } finally {
      stats.disconnect();
      await engine.close();
    }
  });

  it('keeps a channel subscribed in Redis while a send that counted on it is in flight', async () => {
    const [commands, subscriber, probe] = [rawRedis(), rawRedis(), rawRedis()];
    const pubsub = new RedisBus(commands, subscriber, prefix, quiet);
    const numsub = async () => (await probe.pubsub('NUMSUB', `${prefix}user:x`))[1];
    try {
      await pubsub.subscribe('user:x', () => {});
      const lease = pubsub.lease(['user:x', 'user:y']);
      expect(lease.mine).toEqual([1, 0]);
      await pubsub.unsubscribe('user:x');
      expect(pubsub.lease(['user:x']).mine).toEqual([0]);
      expect(await numsub()).toBe(1);
      lease.release();
      await expect.poll(numsub).toBe(0);
    } finally {
      await pubsub.close();
      commands.disconnect();
      probe.disconnect();
    }
  });

  it('does not hear another prefix', async () => {
    const other = uniquePrefix();
    const [mine, theirs] = [await connectTestEngine(prefix), await connectTestEngine(other)];
    try {
      const heard: string[] = [];
      await mine.bus.subscribe('t', (p) => heard.push(p));
      await theirs.bus.publish('t', 'not for you');
      await mine.bus.publish('t', 'for you');
      await expect.poll(() => heard).toEqual(['for you']);
    } finally {
      await Promise.all([mine.close(), theirs.close()]);
    }
  });

  it('fails fast during an outage, then resubscribes and delivers again', async () => {
    await using own = await startOwnRedis();
    const engine = await connectTestEngine(prefix, { url: own.url, commandTimeoutMs: 300 });
    try {
      let resubscribed = 0;
      engine.bus.onResubscribed(() => resubscribed++);
      const heard: string[] = [];
      await engine.bus.subscribe('user:bob', (p) => heard.push(p));
      await engine.messages.append(input(Date.now()));
      await expect.poll(() => heard.length).toBe(1);

      await own.kill();
      const started = Date.now();
      await expect(engine.messages.append(input(Date.now()))).rejects.toBeInstanceOf(
        UnavailableError,
      );
      await expect(engine.bus.publish('user:bob', 'x')).rejects.toBeInstanceOf(UnavailableError);
      await expect(engine.bus.subscribe('other', () => {})).rejects.toBeInstanceOf(
        UnavailableError,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
      // Unsubscribing works locally during the outage and is settled with Redis afterwards.
      await expect(engine.bus.unsubscribe('user:alice')).resolves.toBeUndefined();
      expect(resubscribed).toBe(0);

      await own.start();
      await expect.poll(() => resubscribed, { timeout: 5_000 }).toBe(1);
      const { message } = await engine.messages.append(input(Date.now()));
      const frame = JSON.stringify({ type: 'message', message });
      await expect.poll(() => heard.at(-1)).toBe(frame);
    } finally {
      await engine.close();
    }
  });
});
