import type { Cluster, Redis } from 'ioredis';

/**
 * The command client the Redis engine runs on: one Redis (REDIS_URL) or a Redis Cluster
 * (REDIS_CLUSTER). Both speak the same commands; what differs is that a Cluster runs a script, a
 * MULTI or a pipeline only over keys of one slot, and fans out with sharded pub/sub.
 */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster;
}

/** The client's per-command timeout, if it has one. */
export function commandTimeoutOf(client: RedisClient): number | undefined {
  return isCluster(client)
    ? client.options.redisOptions?.commandTimeout
    : client.options.commandTimeout;
}
