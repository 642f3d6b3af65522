import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Fails fast, with a message that says what to do, when the test Redis is not running: the
 * Redis suites must not hang or be skipped silently.
 */
export async function requireRedis(): Promise<void> {
  const redis = new Redis(testRedisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `Redis is not reachable at ${testRedisUrl} (${(err as Error).message}). Start one ` +
        "(redis-server --port 6379 --save '') or point the tests at one with TEST_REDIS_URL.",
    );
  } finally {
    redis.disconnect();
  }
}

/** A key prefix of this test's own, so parallel tests never meet. */
export function uniquePrefix(): string {
  return `ectest:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under a prefix (SCAN, never KEYS). */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A raw connection for assertions on keys (TTL, existence). */
export function rawRedis(): Redis {
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  return redis;
}
