import type { Message } from '@ephemeral-chat/protocol';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type {
  AppendInput,
  AppendResult,
  CounterBudget,
  CounterState,
  Engine,
  Reservation,
  SessionData,
  TopicListener,
} from '../engine.js';
import { call } from './redis-call.js';
import { connectRedis } from './redis-client.js';
import { RedisMessages } from './redis-messages.js';
import { RedisPresence } from './redis-presence.js';
import { RedisPubSub } from './redis-pubsub.js';
import { defineScripts } from './redis-scripts.js';
import { RedisSessions } from './redis-sessions.js';

export interface RedisEngineOptions {
  url: string;
  /** Prepended to every key, so several deployments or test runs share one Redis. */
  keyPrefix: string;
  commandTimeoutMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}

/** Ephemeral state in Redis, shared by every node. Any Redis failure becomes UnavailableError. */
export class RedisEngine implements Engine {
  readonly kind = 'redis' as const;

  readonly #sessions: RedisSessions;
  readonly #messages: RedisMessages;
  readonly #presence: RedisPresence;
  readonly #pubsub: RedisPubSub;

  private constructor(
    private readonly redis: Redis,
    subscriber: Redis,
    prefix: string,
    logger: RedisEngineOptions['logger'],
  ) {
    this.#sessions = new RedisSessions(redis, prefix);
    const scripted = defineScripts(redis);
    this.#pubsub = new RedisPubSub(redis, subscriber, prefix, logger);
    this.#messages = new RedisMessages(scripted, prefix, this.#pubsub, logger);
    this.#presence = new RedisPresence(scripted, prefix);
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

  createSession(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    return this.#sessions.createSession(tokenHash, data, ttlMs);
  }

  getSession(tokenHash: string): Promise<SessionData | undefined> {
    return this.#sessions.getSession(tokenHash);
  }

  deleteSession(tokenHash: string): Promise<void> {
    return this.#sessions.deleteSession(tokenHash);
  }

  hitCounter(key: string, windowMs: number): Promise<CounterState> {
    return this.#sessions.hitCounter(key, windowMs);
  }

  peekCounter(key: string): Promise<CounterState> {
    return this.#sessions.peekCounter(key);
  }

  resetCounter(key: string): Promise<void> {
    return this.#sessions.resetCounter(key);
  }

  reserveCounters(budgets: readonly CounterBudget[]): Promise<Reservation> {
    return this.#sessions.reserveCounters(budgets);
  }

  refundCounter(key: string): Promise<void> {
    return this.#sessions.refundCounter(key);
  }

  appendMessage(input: AppendInput): Promise<AppendResult> {
    return this.#messages.append(input);
  }

  readAfter(room: string, after: number, limit: number, now: number, maxBytes?: number) {
    return this.#messages.readAfter(room, after, limit, now, maxBytes);
  }

  readBefore(
    room: string,
    before: number | undefined,
    limit: number,
    now: number,
    maxBytes?: number,
  ) {
    return this.#messages.readBefore(room, before, limit, now, maxBytes);
  }

  listChats(userId: string, limit: number, now: number): Promise<Message[]> {
    return this.#messages.listChats(userId, limit, now);
  }

  markOnline(userId: string, nodeId: string, ttlMs: number, now: number): Promise<boolean> {
    return this.#presence.markOnline(userId, nodeId, ttlMs, now);
  }

  markOffline(userId: string, nodeId: string, now: number): Promise<boolean> {
    return this.#presence.markOffline(userId, nodeId, now);
  }

  refreshOnline(userIds: readonly string[], nodeId: string, ttlMs: number, now: number) {
    return this.#presence.refreshOnline(userIds, nodeId, ttlMs, now);
  }

  onlineUsers(userIds: readonly string[], now: number): Promise<Set<string>> {
    return this.#presence.onlineUsers(userIds, now);
  }

  publish(topic: string, payload: string): Promise<void> {
    return this.#pubsub.publish(topic, payload);
  }

  subscribe(topic: string, listener: TopicListener): Promise<void> {
    return this.#pubsub.subscribe(topic, listener);
  }

  unsubscribe(topic: string): Promise<void> {
    return this.#pubsub.unsubscribe(topic);
  }

  onResubscribed(listener: () => void): void {
    this.#pubsub.onResubscribed(listener);
  }

  async ping(): Promise<void> {
    await call(() => this.redis.ping());
  }

  async close(): Promise<void> {
    await this.#pubsub.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
