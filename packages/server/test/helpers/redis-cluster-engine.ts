import { type RedisCluster, startRedisCluster } from '@ephemeral-chat/testkit';
import { Cluster } from 'ioredis';
import { afterAll } from 'vitest';
import type { ClusterSeed } from '../../src/engine/redis/redis-cluster-client.js';
import { RedisEngine } from '../../src/engine/redis-engine.js';

let started: Promise<RedisCluster> | undefined;

/**
 * This test file's own three-master Redis Cluster (started on first use, stopped after the file).
 * Fails with the harness' message when redis-server is missing.
 */
export function fileCluster(): Promise<RedisCluster> {
  started ??= startRedisCluster({ masters: 3 });
  return started;
}

// Registered when a test file imports this module: the file's cluster goes with the file.
afterAll(async () => {
  const cluster = started;
  started = undefined;
  if (cluster) await (await cluster).stop();
});

/** REDIS_CLUSTER's value as the engine takes it. */
export function seedsOf(cluster: RedisCluster): ClusterSeed[] {
  return cluster.seeds.split(',').map((s) => {
    const [host = '127.0.0.1', port = '0'] = s.split(':');
    return { host, port: Number(port) };
  });
}

/** A RedisEngine on the file's cluster, on a key prefix (the test's own), quiet logs. */
export async function connectClusterTestEngine(
  prefix: string,
  options: { commandTimeoutMs?: number } = {},
): Promise<RedisEngine> {
  const cluster = await fileCluster();
  return RedisEngine.connect({
    cluster: seedsOf(cluster),
    keyPrefix: prefix,
    commandTimeoutMs: options.commandTimeoutMs ?? 1000,
    logger: { warn: () => {}, info: () => {} },
  });
}

/** A plain Cluster client on the file's cluster, for inspecting keys. */
export async function rawCluster(): Promise<Cluster> {
  const cluster = new Cluster(seedsOf(await fileCluster()), { lazyConnect: true });
  await cluster.connect();
  return cluster;
}

/** As roomIndexSize (redis-engine.ts), on the file's cluster. */
export async function clusterRoomIndexSize(prefix: string, room: string): Promise<number> {
  const redis = await rawCluster();
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
