import { roomKeys } from '../engine/redis/redis-keys.js';
import type { ExpiryProbe } from './expiry-sampler.js';

/**
 * Redis: PTTL of the message key on the command connection (-2: gone). Redis drops an expired key
 * on the first access after its PX, so this reads when Redis stops serving it by its own clock.
 */
export function redisExpiryProbe(
  redis: { pttl(key: string): Promise<number> },
  prefix: string,
  now: () => number = Date.now,
): ExpiryProbe {
  return {
    async heldUntil(room, from, clientMsgId) {
      const ttl = await redis.pttl(roomKeys(prefix, room).message(from, clientMsgId));
      if (ttl === -2) return undefined;
      return ttl < 0 ? Number.POSITIVE_INFINITY : now() + ttl;
    },
  };
}

/** MemoryEngine: the message stays in its room until a read of the room or the sweep prunes it. */
export function memoryExpiryProbe(store: {
  heldUntil(room: string, from: string, clientMsgId: string): number | undefined;
}): ExpiryProbe {
  return {
    heldUntil: (room, from, clientMsgId) =>
      Promise.resolve(store.heldUntil(room, from, clientMsgId)),
  };
}
