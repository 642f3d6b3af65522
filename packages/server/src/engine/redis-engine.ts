import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { RedisBus } from './bus/redis-bus.js';
import { RedisCounters } from './counters/redis-counters.js';
import type { Engine } from './engine.js';
import { RedisMessageStore } from './messages/redis-message-store.js';
import { RedisPresence } from './presence/redis-presence.js';
import { call } from './redis/redis-call.js';
import { connectRedis } from './redis/redis-client.js';
import { RedisSessionStore } from './sessions/redis-session-store.js';

export interface RedisEngineOptions {
  url: string;
  /** Prepended to every key, so several deployments or test runs share one Redis. */
  keyPrefix: string;
  commandTimeoutMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}

/**
 * Ephemeral state in Redis, shared by every node: every seam on one command connection, and a
 * second connection for the bus's subscriptions. Any Redis failure becomes UnavailableError.
 */
export class RedisEngine implements Engine {
  readonly kind = 'redis' as const;
  readonly sessions: RedisSessionStore;
  readonly counters: RedisCounters;
  readonly bus: RedisBus;
  readonly messages: RedisMessageStore;
  readonly presence: RedisPresence;

  private constructor(
    private readonly redis: Redis,
    subscriber: Redis,
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
    const redis = await connectRedis({ ...options, role: 'commands' });
    try {
      const subscriber = await connectRedis({ ...options, role: 'subscriber' });
      return new RedisEngine(redis, subscriber, options.keyPrefix, options.logger);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
  }

  /** The command connection, for instrumentation only (METRICS_TOKEN times its commands). */
  get commandClient(): Redis {
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
