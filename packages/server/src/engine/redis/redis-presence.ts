import { call, execPipeline } from './redis-call.js';
import { presenceKey } from './redis-keys.js';
import { type ScriptedRedis, scriptedPipeline } from './redis-scripts.js';

/**
 * Presence in Redis: per user a ZSET of node ids scored by mark expiry, so a node that dies
 * without a word stops counting once its marks lapse. The key itself expires with its last mark.
 */
export class RedisPresence {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly prefix: string,
  ) {}

  async markOnline(userId: string, nodeId: string, ttlMs: number, now: number): Promise<boolean> {
    const key = presenceKey(this.prefix, userId);
    const reply = await call(() => this.redis.ecMarkOnline(key, nodeId, now, now + ttlMs, ttlMs));
    return reply === 1;
  }

  async markOffline(userId: string, nodeId: string, now: number): Promise<boolean> {
    const key = presenceKey(this.prefix, userId);
    const reply = await call(() => this.redis.ecMarkOffline(key, nodeId, now));
    return reply === 1;
  }

  async refreshOnline(userIds: readonly string[], nodeId: string, ttlMs: number, now: number) {
    if (userIds.length === 0) return;
    const pipeline = scriptedPipeline(this.redis);
    for (const userId of userIds) {
      pipeline.ecMarkOnline(presenceKey(this.prefix, userId), nodeId, now, now + ttlMs, ttlMs);
    }
    await execPipeline(pipeline);
  }

  async onlineUsers(userIds: readonly string[], now: number): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    // Marks scored above now are live; lapsed ones are left for the next write to prune.
    for (const userId of userIds)
      pipeline.zcount(presenceKey(this.prefix, userId), `(${now}`, '+inf');
    const counts = await execPipeline(pipeline);
    return new Set(userIds.filter((_, i) => (counts[i] as number) > 0));
  }
}
