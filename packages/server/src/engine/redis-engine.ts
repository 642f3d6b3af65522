import type { Logger } from '../logger.js';
import { RedisBus } from './bus/redis-bus.js';
import { RedisCounters } from './counters/redis-counters.js';
import type { Engine } from './engine.js';
import { RedisMessageStore } from './messages/redis-message-store.js';
import { RedisPresence } from './presence/redis-presence.js';
import { call } from './redis/redis-call.js';
import { connectRedis } from './redis/redis-client.js';
import type { RedisClient } from './redis/redis-client-type.js';
import { type ClusterSeed, connectRedisCluster } from './redis/redis-cluster-client.js';
import { RedisSessionStore } from './sessions/redis-session-store.js';

export interface RedisEngineOptions {
  /** One Redis (REDIS_URL), or … */
  url?: string | undefined;
  /** … the seed nodes of a Redis Cluster (REDIS_CLUSTER); exactly one of the two. */
  cluster?: readonly ClusterSeed[] | undefined;
  /** Prepended to every key, so several deployments or test runs share one Redis. */
  keyPrefix: string;
  commandTimeoutMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}

/**
 * Ephemeral state in Redis, shared by every node: every seam on one command connection, and a
 * second connection for the bus's subscriptions. Any Redis failure becomes UnavailableError.
 * On a Redis Cluster: one Cluster client for commands and one whose sharded subscribers (one
 * connection per master) carry the bus's SSUBSCRIBEs.
 */
export class RedisEngine implements Engine {
  readonly kind = 'redis' as const;
  readonly sessions: RedisSessionStore;
  readonly counters: RedisCounters;
  readonly bus: RedisBus;
  readonly messages: RedisMessageStore;
  readonly presence: RedisPresence;

  private constructor(
    private readonly redis: RedisClient,
    subscriber: RedisClient,
    prefix: string,
    logger: RedisEngineOptions['logger'],
  ) {
    this.sessions = new RedisSessionStore(redis, prefix);
    this.counters = new RedisCounters(redis, prefix);
    this.bus = new RedisBus(redis, subscriber, prefix, logger);
    this.messages = new RedisMessageStore(redis, prefix, this.bus, logger);
    this.presence = new RedisPresence(redis, prefix);
  }

  /** Opens two connections: one for commands, one dedicated to subscribing. */
  static async connect(options: RedisEngineOptions): Promise<RedisEngine> {
    const { url, cluster } = options;
    const open = (role: string, shardedSubscribers: boolean): Promise<RedisClient> => {
      const common = { commandTimeoutMs: options.commandTimeoutMs, logger: options.logger, role };
      if (cluster && !url)
        return connectRedisCluster({ ...common, seeds: cluster, shardedSubscribers });
      if (url && !cluster) return connectRedis({ ...common, url });
      throw new Error(
        'RedisEngine needs exactly one of url (REDIS_URL) and cluster (REDIS_CLUSTER)',
      );
    };
    const redis = await open('commands', false);
    try {
      const subscriber = await open('subscriber', true);
      return new RedisEngine(redis, subscriber, options.keyPrefix, options.logger);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
  }

  /** The command connection, for instrumentation only (METRICS_TOKEN times its commands). */
  get commandClient(): RedisClient {
    return this.redis;
  }

  async ping(): Promise<void> {
    await call(() => this.redis.ping());
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
