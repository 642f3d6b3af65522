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
    } finally {
      redis.disconnect();
      await engine.close();
    }
  });
});
