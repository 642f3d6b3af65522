import type { FillResult } from '../load/commands.js';
import { sleep } from '../scenarios/context.js';
import { KEPT_BY_DESIGN } from '../scenarios/expiry.js';
import { withPairs } from '../scenarios/runs.js';

/** Rooms the messages are spread over (one-to-one chats). */
const ROOMS = 50;
const FILL_WINDOW = 16;
/** Give up waiting for the keys to go this long after the last TTL. */
const GRACE_MS = 60_000;

/** Redis memory for `messages` stored messages of one text size, and after they expired. */
export interface StoredMessages {
  textLength: number;
  messages: number;
  fillMs: number;
  ttlMs: number;
  /** used_memory added per stored message, bytes. */
  bytesPerMessage: number;
  /** used_memory once every message key is gone, minus before; read state kept by design. */
  leftOverBytes: number;
  /** From the last TTL's end to the message keys being gone, ms (NaN: not within the grace). */
  goneAfterMs: number;
}

/**
 * Stores `count` messages of `textLength` characters through the real server (RedisEngine on a
 * fresh redis-server of its own, `hz 100`), reads INFO used_memory before and after, then waits
 * for them to expire and reads it again.
 */
export function storedMessages(
  count: number,
  textLength: number,
  ttlMs: number,
  redisUrl: string | undefined,
): Promise<StoredMessages> {
  return withPairs(
    { kind: 'ours-redis', redisUrl, pairs: ROOMS, workers: 1 },
    async (sut, pool) => {
      const redis = sut.redis;
      if (!redis) throw new Error('sizing needs Redis');
      await sleep(500);
      const messageKeys = async () =>
        (await redis.stats()).keys - (await redis.countKeys(KEPT_BY_DESIGN));
      const before = await redis.stats();
      const keysBefore = await messageKeys();
      const t0 = performance.now();
      const filled = await pool.call<FillResult>(0, {
        op: 'fill',
        count,
        ttlsMs: [ttlMs],
        window: FILL_WINDOW,
        textLength,
      });
      const full = await redis.stats();
      const lastExpiry = t0 + filled.ms + ttlMs;
      let goneAt = Number.NaN;
      while (performance.now() < lastExpiry + GRACE_MS) {
        await sleep(500);
        if (performance.now() > lastExpiry && (await messageKeys()) <= keysBefore) {
          goneAt = performance.now();
          break;
        }
      }
      // jemalloc hands freed pages back lazily; used_memory (what Redis allocated) does not wait.
      await sleep(1000);
      const after = await redis.stats();
      return {
        textLength,
        messages: filled.acked,
        fillMs: filled.ms,
        ttlMs,
        // Messages that expired before the reading would count as stored and weigh nothing.
        bytesPerMessage:
          filled.ms < ttlMs - 2000
            ? (full.usedMemory - before.usedMemory) / filled.acked
            : Number.NaN,
        leftOverBytes: after.usedMemory - before.usedMemory,
        goneAfterMs: goneAt - lastExpiry,
      };
    },
  );
}
