import { deleteKeys, requireRedis, startOwnRedis, uniquePrefix } from '@ephemeral-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../test/helpers/engines.js';
import { UnavailableError } from '../errors/app-error.js';
import type { Engine } from './engine.js';
import { RedisEngine } from './redis-engine.js';
import type { SessionData } from './sessions/session-store.js';

const quietLogger = { warn: () => {}, info: () => {} };

const session = (over: Partial<SessionData> = {}): SessionData => ({
  userId: 'u1',
  username: 'Alice',
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  ...over,
});

/** What every engine as a whole must do: answer ping. */
describe.each(engineFactories)('Engine contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  it('answers ping', async () => {
    await expect(engine.ping()).resolves.toBeUndefined();
  });
});

describe('RedisEngine specifics', () => {
  const prefix = uniquePrefix();
  beforeAll(requireRedis);
  afterEach(() => deleteKeys(prefix));

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
      await engine.sessions.create('kept', session(), 60_000);
      await own.kill();
      const started = Date.now();
      await expect(engine.sessions.get('kept')).rejects.toBeInstanceOf(UnavailableError);
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
      expect(await engine.sessions.get('kept')).toBeDefined();
    } finally {
      await engine.close();
    }
  });
});
