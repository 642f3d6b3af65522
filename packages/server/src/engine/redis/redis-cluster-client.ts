import { Cluster } from 'ioredis';
import type { Logger } from '../../logger.js';

/** A seed node of REDIS_CLUSTER. */
export interface ClusterSeed {
  host: string;
  port: number;
}

export interface RedisClusterOptions {
  seeds: readonly ClusterSeed[];
  /** Every command fails after this long instead of waiting. */
  commandTimeoutMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Label for logs, e.g. 'commands' or 'subscriber'. */
  role: string;
  /** One sharded-subscriber connection per master, for SSUBSCRIBE (the bus's subscriber). */
  shardedSubscribers?: boolean;
}

const backoff = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);

/**
 * An ioredis Cluster client with the same promises as connectRedis: no offline queue (commands
 * fail at once while the cluster is not ready), one retry per request, a command timeout on every
 * node connection, a command whose reply was lost never resent after a reconnect, and an `error`
 * listener. Reads and writes go to masters only (`scaleReads: 'master'`): a replica may lag, and
 * every read script also prunes. A MOVED/ASK redirection resends a command the old owner refused
 * (it never ran there); a script resent after a connection loss is refused by its deadline.
 */
export async function connectRedisCluster(options: RedisClusterOptions): Promise<Cluster> {
  const cluster = new Cluster(
    options.seeds.map((s) => ({ host: s.host, port: s.port })),
    {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: true,
      scaleReads: 'master',
      shardedSubscribers: options.shardedSubscribers ?? false,
      // Not auto-pipelining: ioredis 6 builds one pipeline of a turn's commands per node and
      // rejects it when they span slots ("same slots allocation group"), as a turn's do.
      clusterRetryStrategy: backoff,
      slotsRefreshTimeout: Math.max(1000, options.commandTimeoutMs),
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      redisOptions: {
        maxRetriesPerRequest: 1,
        autoResendUnfulfilledCommands: false,
        commandTimeout: options.commandTimeoutMs,
        connectTimeout: Math.max(2000, options.commandTimeoutMs),
      },
    },
  );
  let down = false;
  let lastError = '';
  cluster.on('error', (err: Error) => {
    lastError = err.message;
    if (!down) options.logger.warn({ err: err.message, role: options.role }, 'redis cluster error');
    down = true;
  });
  cluster.on('ready', () => {
    if (down) options.logger.info({ role: options.role }, 'redis cluster connection restored');
    down = false;
  });
  try {
    await cluster.connect();
  } catch (err) {
    cluster.disconnect();
    const seeds = options.seeds.map((s) => `${s.host}:${s.port}`).join(',');
    throw new Error(
      `Redis Cluster is not reachable at ${seeds} (REDIS_CLUSTER): ${lastError || (err as Error).message}`,
      { cause: err },
    );
  }
  return cluster;
}
