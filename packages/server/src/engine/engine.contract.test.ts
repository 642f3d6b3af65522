import {
  deleteKeys,
  rawRedis,
  requireRedis,
  startOwnRedis,
  testRedisUrl,
  uniquePrefix,
} from '@ephemeral-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../errors/app-error.js';
import type { Engine, SessionData } from './engine.js';
import { MemoryEngine } from './memory/memory-engine.js';
import { RedisEngine } from './redis/redis-engine.js';

const quietLogger = { warn: () => {}, info: () => {} };

const session = (over: Partial<SessionData> = {}): SessionData => ({
  userId: 'u1',
  username: 'Alice',
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  ...over,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One contract for every Engine: what sessions and counters must do, whatever stores them. */
function engineContract(
  name: string,
  create: () => Promise<{ engine: Engine; cleanup(): Promise<void> }>,
) {
  describe(`Engine contract: ${name}`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ engine, cleanup } = await create());
    });
    afterAll(async () => {
      await engine.close();
      await cleanup();
    });

    it('stores a session and returns it by token hash', async () => {
      const data = session();
      await engine.createSession('h1', data, 60_000);
      expect(await engine.getSession('h1')).toEqual(data);
    });

    it('returns nothing for an unknown token hash', async () => {
      expect(await engine.getSession('nope')).toBeUndefined();
    });

    it('forgets a deleted session at once', async () => {
      await engine.createSession('h2', session(), 60_000);
      await engine.deleteSession('h2');
      expect(await engine.getSession('h2')).toBeUndefined();
    });

    it('expires a session after its TTL', async () => {
      await engine.createSession('h3', session(), 150);
      expect(await engine.getSession('h3')).toBeDefined();
      await sleep(250);
      expect(await engine.getSession('h3')).toBeUndefined();
    });

    it('counts hits in a window and reports when it resets', async () => {
      expect(await engine.hitCounter('c1', 10_000)).toMatchObject({ count: 1 });
      const second = await engine.hitCounter('c1', 10_000);
      expect(second.count).toBe(2);
      expect(second.resetInMs).toBeGreaterThan(9_000);
      expect(second.resetInMs).toBeLessThanOrEqual(10_000);
      expect((await engine.peekCounter('c1')).count).toBe(2);
    });

    it('does not extend a window with later hits', async () => {
      await engine.hitCounter('c2', 300);
      await sleep(150);
      await engine.hitCounter('c2', 300);
      await sleep(200);
      expect(await engine.peekCounter('c2')).toEqual({ count: 0, resetInMs: 0 });
    });

    it('peeks an absent counter as zero and resets a counter', async () => {
      expect(await engine.peekCounter('c3')).toEqual({ count: 0, resetInMs: 0 });
      await engine.hitCounter('c3', 10_000);
      await engine.resetCounter('c3');
      expect((await engine.peekCounter('c3')).count).toBe(0);
    });

    it('reserves every budget or none, and says when the spent one frees up', async () => {
      const budgets = [
        { key: 'r1:a', max: 2, windowMs: 10_000 },
        { key: 'r1:b', max: 5, windowMs: 10_000 },
      ];
      expect(await engine.reserveCounters(budgets)).toEqual({ ok: true });
      expect(await engine.reserveCounters(budgets)).toEqual({ ok: true });
      const refused = await engine.reserveCounters(budgets);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.retryInMs).toBeGreaterThan(9_000);
        expect(refused.retryInMs).toBeLessThanOrEqual(10_000);
      }
      expect((await engine.peekCounter('r1:a')).count).toBe(2);
      expect((await engine.peekCounter('r1:b')).count).toBe(2);
    });

    it('counts concurrent reservations one by one: 25 at once against 10 admit exactly 10', async () => {
      const results = await Promise.all(
        Array.from({ length: 25 }, () =>
          engine.reserveCounters([{ key: 'r2', max: 10, windowMs: 10_000 }]),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      expect((await engine.peekCounter('r2')).count).toBe(10);
    });

    it('stretches an outliving budget to the longest window among those hit', async () => {
      await engine.hitCounter('r3:long', 10_000);
      await engine.reserveCounters([
        { key: 'r3:short', max: 5, windowMs: 300, outlive: true },
        { key: 'r3:long', max: 5, windowMs: 10_000 },
      ]);
      expect((await engine.peekCounter('r3:short')).resetInMs).toBeGreaterThan(9_000);
    });

    it('refunds one hit, never below zero, keeping the window and creating nothing', async () => {
      await engine.hitCounter('r4', 10_000);
      await engine.hitCounter('r4', 10_000);
      await engine.refundCounter('r4');
      const state = await engine.peekCounter('r4');
      expect(state.count).toBe(1);
      expect(state.resetInMs).toBeGreaterThan(9_000);
      await engine.refundCounter('r4');
      await engine.refundCounter('r4');
      expect((await engine.peekCounter('r4')).count).toBe(0);
      await engine.refundCounter('r4:absent');
      expect(await engine.peekCounter('r4:absent')).toEqual({ count: 0, resetInMs: 0 });
    });

    it('answers ping', async () => {
      await expect(engine.ping()).resolves.toBeUndefined();
    });
  });
}

engineContract('MemoryEngine', async () => ({
  engine: new MemoryEngine(),
  cleanup: async () => {},
}));

engineContract('RedisEngine', async () => {
  await requireRedis();
  const prefix = uniquePrefix();
  const engine = await RedisEngine.connect({
    url: testRedisUrl,
    keyPrefix: prefix,
    commandTimeoutMs: 1000,
    logger: quietLogger,
  });
  return { engine, cleanup: () => deleteKeys(prefix) };
});

describe('RedisEngine specifics', () => {
  const prefix = uniquePrefix();
  beforeAll(requireRedis);
  afterEach(() => deleteKeys(prefix));

  it('keeps sessions under its key prefix with a TTL, storing only the hash', async () => {
    const engine = await RedisEngine.connect({
      url: testRedisUrl,
      keyPrefix: prefix,
      commandTimeoutMs: 1000,
      logger: quietLogger,
    });
    const redis = rawRedis();
    try {
      await engine.createSession('hash-abc', session(), 60_000);
      const ttl = await redis.pttl(`${prefix}sess:hash-abc`);
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      redis.disconnect();
      await engine.close();
    }
  });

  it('fails to connect quickly with a message naming REDIS_URL when Redis is absent', async () => {
    const started = Date.now();
    await expect(
      RedisEngine.connect({
        url: 'redis://127.0.0.1:1',
        keyPrefix: prefix,
        commandTimeoutMs: 200,
        logger: quietLogger,
      }),
    ).rejects.toThrow(/REDIS_URL/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails fast with UnavailableError during an outage and recovers by itself', async () => {
    await using own = await startOwnRedis();
    const engine = await RedisEngine.connect({
      url: own.url,
      keyPrefix: prefix,
      commandTimeoutMs: 300,
      logger: quietLogger,
    });
    try {
      await engine.createSession('kept', session(), 60_000);
      await own.kill();
      const started = Date.now();
      await expect(engine.getSession('kept')).rejects.toBeInstanceOf(UnavailableError);
      await expect(engine.ping()).rejects.toBeInstanceOf(UnavailableError);
      expect(Date.now() - started).toBeLessThan(2_000);

      await own.start();
      await expect
        .poll(
          () =>
            engine.ping().then(
              () => 'up',
              () => 'down',
            ),
          { timeout: 5_000 },
        )
        .toBe('up');
      // AOF kept what was written before the outage.
      expect(await engine.getSession('kept')).toBeDefined();
    } finally {
      await engine.close();
    }
  });
});
