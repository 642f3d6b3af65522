import { rawRedis, testRedisUrl } from '@ephemeral-chat/testkit';
import { RedisEngine } from '../../src/engine/redis-engine.js';

/** A RedisEngine on a key prefix (the test's own), quiet logs, a short command timeout. */
export function connectTestEngine(
  prefix: string,
  options: { url?: string; commandTimeoutMs?: number } = {},
): Promise<RedisEngine> {
  return RedisEngine.connect({
    url: options.url ?? testRedisUrl,
    keyPrefix: prefix,
    commandTimeoutMs: options.commandTimeoutMs ?? 1000,
    logger: { warn: () => {}, info: () => {} },
  });
}

/**
 * Entries in a room's seq index (ZCARD of `{room}:idx`), checking that the expiry index holds
 * the same number: what a test inspects to see that expired messages were pruned.
 */
export async function roomIndexSize(prefix: string, room: string): Promise<number> {
  const redis = rawRedis();
  try {
    const [idx, exp] = await Promise.all([
      redis.zcard(`${prefix}{${room}}:idx`),
      redis.zcard(`${prefix}{${room}}:exp`),
    ]);
    if (idx !== exp) throw new Error(`room index out of step: idx ${idx}, exp ${exp}`);
    return idx;
  } finally {
    redis.disconnect();
  }
}
