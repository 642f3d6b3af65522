import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectTestEngine,
  deleteKeys,
  requireRedis,
  uniquePrefix,
} from '../../../test/helpers/redis.js';
import { startOwnRedis } from '../../../test/helpers/redis-server.js';
import { UnavailableError } from '../../errors/app-error.js';

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
      await node1.subscribe('user:bob', (p) => heard1.push(p));
      await node2.subscribe('user:bob', (p) => heard2.push(p));
      const { message } = await node1.appendMessage(input(Date.now()));
      const frame = JSON.stringify({ type: 'message', message });
      await expect.poll(() => heard2).toEqual([frame]);
      await expect.poll(() => heard1).toEqual([frame]);

      await node2.unsubscribe('user:bob');
      await node2.publish('user:bob', 'after');
      await expect.poll(() => heard1).toEqual([frame, 'after']);
      expect(heard2).toEqual([frame]);
    } finally {
      await Promise.all([node1.close(), node2.close()]);
    }
  });

  it('does not hear another prefix', async () => {
    const other = uniquePrefix();
    const [mine, theirs] = [await connectTestEngine(prefix), await connectTestEngine(other)];
    try {
      const heard: string[] = [];
      await mine.subscribe('t', (p) => heard.push(p));
      await theirs.publish('t', 'not for you');
      await mine.publish('t', 'for you');
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
      engine.onResubscribed(() => resubscribed++);
      const heard: string[] = [];
      await engine.subscribe('user:bob', (p) => heard.push(p));
      await engine.appendMessage(input(Date.now()));
      await expect.poll(() => heard.length).toBe(1);

      await own.kill();
      const started = Date.now();
      await expect(engine.appendMessage(input(Date.now()))).rejects.toBeInstanceOf(
        UnavailableError,
      );
      await expect(engine.publish('user:bob', 'x')).rejects.toBeInstanceOf(UnavailableError);
      await expect(engine.subscribe('other', () => {})).rejects.toBeInstanceOf(UnavailableError);
      expect(Date.now() - started).toBeLessThan(2_000);
      // Unsubscribing works locally during the outage and is settled with Redis afterwards.
      await expect(engine.unsubscribe('user:alice')).resolves.toBeUndefined();
      expect(resubscribed).toBe(0);

      await own.start();
      await expect.poll(() => resubscribed, { timeout: 5_000 }).toBe(1);
      const { message } = await engine.appendMessage(input(Date.now()));
      const frame = JSON.stringify({ type: 'message', message });
      await expect.poll(() => heard.at(-1)).toBe(frame);
    } finally {
      await engine.close();
    }
  });
});
