import type { Logger } from '../logger.js';
import type { Engine } from './engine.js';
import { MemoryEngine } from './memory-engine.js';
import type { ClusterSeed } from './redis/redis-cluster-client.js';
import { RedisEngine } from './redis-engine.js';

export async function createEngine(options: {
  redisUrl?: string | undefined;
  /** REDIS_CLUSTER's seed nodes (exclusive with redisUrl). */
  redisCluster?: readonly ClusterSeed[] | undefined;
  keyPrefix: string;
  commandTimeoutMs: number;
  logger: Logger;
}): Promise<Engine> {
  if (!options.redisUrl && !options.redisCluster?.length) {
    return new MemoryEngine({ logger: options.logger });
  }
  return RedisEngine.connect({
    url: options.redisUrl,
    cluster: options.redisCluster,
    keyPrefix: options.keyPrefix,
    commandTimeoutMs: options.commandTimeoutMs,
    logger: options.logger,
  });
}
