import { deleteKeys, rawRedis, requireRedis, uniquePrefix } from '@ephemeral-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import { connectTestEngine } from '../../../test/helpers/redis-engine.js';
import type { Engine } from '../engine.js';
import type { SessionData } from './session-store.js';

const session = (over: Partial<SessionData> = {}): SessionData => ({
  userId: 'u1',
  username: 'Alice',
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  ...over,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a session store must do, whatever holds it. */
describe.each(engineFactories)('Session store contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  it('stores a session and returns it by token hash', async () => {
    const data = session();
    await engine.sessions.create('h1', data, 60_000);
    expect(await engine.sessions.get('h1')).toEqual(data);
  });

  it('returns nothing for an unknown token hash', async () => {
    expect(await engine.sessions.get('nope')).toBeUndefined();
  });

  it('forgets a deleted session at once', async () => {
    await engine.sessions.create('h2', session(), 60_000);
    await engine.sessions.delete('h2');
    expect(await engine.sessions.get('h2')).toBeUndefined();
  });

  it('expires a session after its TTL', async () => {
    await engine.sessions.create('h3', session(), 150);
    expect(await engine.sessions.get('h3')).toBeDefined();
    await sleep(250);
    expect(await engine.sessions.get('h3')).toBeUndefined();
  });

  it('deletes every session of one user at once, and only theirs', async () => {
    await engine.sessions.create('all-1', session({ userId: 'ux' }), 60_000);
    await engine.sessions.create('all-2', session({ userId: 'ux' }), 30_000);
    await engine.sessions.create('all-3', session({ userId: 'uy' }), 60_000);
    expect(await engine.sessions.deleteAllOf('ux')).toBe(2);
    expect(await engine.sessions.get('all-1')).toBeUndefined();
    expect(await engine.sessions.get('all-2')).toBeUndefined();
    expect(await engine.sessions.get('all-3')).toBeDefined();
    expect(await engine.sessions.deleteAllOf('ux')).toBe(0);
  });

  it('counts no session that was deleted or expired before deleteAllOf', async () => {
    await engine.sessions.create('gone-1', session({ userId: 'uz' }), 60_000);
    await engine.sessions.create('gone-2', session({ userId: 'uz' }), 100);
    await engine.sessions.create('gone-3', session({ userId: 'uz' }), 60_000);
    await engine.sessions.delete('gone-1');
    await sleep(200);
    expect(await engine.sessions.deleteAllOf('uz')).toBe(1);
    expect(await engine.sessions.get('gone-3')).toBeUndefined();
  });

  it('leaves each session created while deleteAllOf runs either deleted or indexed (a second call ends it)', async () => {
    const created = Array.from({ length: 20 }, (_, i) =>
      engine.sessions.create(`race-${i}`, session({ userId: 'ur' }), 60_000),
    );
    const deleted = engine.sessions.deleteAllOf('ur');
    await Promise.all(created);
    await deleted;
    await engine.sessions.deleteAllOf('ur');
    for (let i = 0; i < 20; i++) expect(await engine.sessions.get(`race-${i}`)).toBeUndefined();
  });
});

describe('RedisSessionStore specifics', () => {
  const prefix = uniquePrefix();
  beforeAll(requireRedis);
  afterEach(() => deleteKeys(prefix));

  it('keeps sessions under its key prefix with a TTL, storing only the hash', async () => {
    const engine = await connectTestEngine(prefix);
    const redis = rawRedis();
    try {
      await engine.sessions.create('hash-abc', session(), 60_000);
      const ttl = await redis.pttl(`${prefix}sess:hash-abc`);
      expect(ttl).toBeGreaterThan(59_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // The user's index lives as long as their longest session, and no longer.
      await engine.sessions.create('hash-def', session(), 5_000);
      const indexTtl = await redis.pttl(`${prefix}sessu:u1`);
      expect(indexTtl).toBeGreaterThan(59_000);
      expect(indexTtl).toBeLessThanOrEqual(60_000);
    } finally {
      redis.disconnect();
      await engine.close();
    }
  });
});
