import { argsOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import type { RedisClient } from '../redis/redis-client-type.js';
import { presenceKey } from '../redis/redis-keys.js';
import {
  defineScripts,
  type ScriptedPipeline,
  type ScriptedRedis,
} from '../redis/redis-scripts.js';
import { execAcrossSlots } from '../redis/slot-pipelines.js';
import type { Presence } from './presence.js';
import { MARK_OFFLINE_ARGV, MARK_ONLINE_ARGV, presenceScripts } from './presence-scripts.js';

/**
 * Presence in Redis: per user a ZSET of node ids scored by mark expiry, so a node that dies
 * without a word stops counting once its marks lapse. The key itself expires with its last mark.
 */
export class RedisPresence implements Presence {
  readonly #redis: ScriptedRedis<typeof presenceScripts>;

  constructor(
    redis: RedisClient,
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
    // Users' keys sit on different slots (a Cluster runs one pipeline per slot).
    await execAcrossSlots<string, ScriptedPipeline<typeof presenceScripts>>(
      this.#redis,
      userIds,
      (userId) => presenceKey(this.prefix, userId),
      (pipeline, userId) =>
        pipeline.ecMarkOnline(presenceKey(this.prefix, userId), ...markOnline(nodeId, ttlMs, now)),
    );
  }

  async onlineUsers(userIds: readonly string[], now: number): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    // Marks scored above now are live; lapsed ones are left for the next write to prune.
    const counts = await execAcrossSlots(
      this.#redis,
      userIds,
      (userId) => presenceKey(this.prefix, userId),
      (pipeline, userId) => pipeline.zcount(presenceKey(this.prefix, userId), `(${now}`, '+inf'),
    );
    return new Set(userIds.filter((_, i) => (counts[i] as number) > 0));
  }
}

function markOnline(nodeId: string, ttlMs: number, now: number) {
  return argsOf(MARK_ONLINE_ARGV, { nodeId, now, expiresAt: now + ttlMs, ttl: ttlMs });
}
