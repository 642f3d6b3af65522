import type { ChainableCommander } from 'ioredis';
import { groupBySlot } from './key-slot.js';
import { execPipeline } from './redis-call.js';
import { isCluster, type RedisClient } from './redis-client-type.js';

/**
 * Runs one command per item, items whose keys lie on different slots, and returns the replies in
 * the items' order (or throws the first error). On one Redis: one pipeline, one round trip. On a
 * Cluster, where a pipeline must stay on one node: one pipeline per slot, all in parallel.
 */
export async function execAcrossSlots<T, P extends ChainableCommander = ChainableCommander>(
  redis: RedisClient,
  items: readonly T[],
  keyOf: (item: T) => string,
  add: (pipeline: P, item: T) => void,
): Promise<unknown[]> {
  if (items.length === 0) return [];
  if (!isCluster(redis)) {
    const pipeline = redis.pipeline() as P;
    for (const item of items) add(pipeline, item);
    return execPipeline(pipeline);
  }
  const indexed = items.map((item, i) => ({ item, i }));
  const groups = groupBySlot(indexed, (e) => keyOf(e.item));
  const out = new Array<unknown>(items.length);
  await Promise.all(
    groups.map(async (group) => {
      const pipeline = redis.pipeline() as P;
      for (const { item } of group) add(pipeline, item);
      const replies = await execPipeline(pipeline);
      group.forEach(({ i }, j) => {
        out[i] = replies[j];
      });
    }),
  );
  return out;
}
