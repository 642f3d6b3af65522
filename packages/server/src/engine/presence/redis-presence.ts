import type { Redis } from 'ioredis';
import { argsOf } from '../redis/lua-layout.js';
import { call, execPipeline } from '../redis/redis-call.js';
import { presenceKey } from '../redis/redis-keys.js';
import { defineScripts, type ScriptedRedis, scriptedPipeline } from '../redis/redis-scripts.js';
import type { Presence } from './presence.js';
import { MARK_OFFLINE_ARGV, MARK_ONLINE_ARGV, presenceScripts } from './presence-scripts.js';

/**
 * Presence in Redis: per user a ZSET of node ids scored by mark expiry, so a node that dies
 * without a word stops counting once its marks lapse. The key itself expires with its last mark.
 */
export class RedisPresence implements Presence {
  readonly #redis: ScriptedRedis<typeof presenceScripts>;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    this.#redis = defineScripts(redis, presenceScripts);
  }

  async markOnline(userId: string, nodeId: string, ttlMs: number, now: number): Promise<boolean> {
    const key = presenceKey(this.prefix, userId);
    const reply = await call(() =>
      this.#redis.ecMarkOnline(key, ...markOnline(nodeId, ttlMs, now)),
    );
    return reply === 1;
  }

  async markOffline(userId: string, nodeId: string, now: number): Promise<boolean> {
    const key = presenceKey(this.prefix, userId);
    const args = argsOf(MARK_OFFLINE_ARGV, { nodeId, now });
    const reply = await call(() => this.#redis.ecMarkOffline(key, ...args));
    return reply === 1;
  }

  async refreshOnline(userIds: readonly string[], nodeId: string, ttlMs: number, now: number) {
    if (userIds.length === 0) return;
    const pipeline = scriptedPipeline<typeof presenceScripts>(this.#redis);
    for (const userId of userIds) {
      pipeline.ecMarkOnline(presenceKey(this.prefix, userId), ...markOnline(nodeId, ttlMs, now));
    }
    await execPipeline(pipeline);
  }

  async onlineUsers(userIds: readonly string[], now: number): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const pipeline = this.#redis.pipeline();
    // Marks scored above now are live; lapsed ones are left for the next write to prune.
    for (const userId of userIds)
      pipeline.zcount(presenceKey(this.prefix, userId), `(${now}`, '+inf');
    const counts = await execPipeline(pipeline);
    return new Set(userIds.filter((_, i) => (counts[i] as number) > 0));
  }
}

function markOnline(nodeId: string, ttlMs: number, now: number) {
  return argsOf(MARK_ONLINE_ARGV, { nodeId, now, expiresAt: now + ttlMs, ttl: ttlMs });
}
