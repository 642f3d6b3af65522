import { call, execPipeline } from '../redis/redis-call.js';
import { isCluster, type RedisClient } from '../redis/redis-client-type.js';
import type { SessionData, SessionStore } from './session-store.js';

/**
 * Sessions (`Psess:<tokenHash>`) in Redis, each with its PX TTL, and per user the set of their
 * token hashes (`Psessu:<userId>`), which lives as long as the user's longest session, so that
 * every session of a user can be ended at once (suspension, account deletion).
 *
 * On a Redis Cluster the two keys lie on different slots, so no MULTI spans them: the session is
 * written first, then its index entry, and `deleteAllOf` deletes the sessions it lists, then
 * removes just those entries. A session created while it runs is thus either deleted or still
 * indexed (the next call ends it). A create that fails between the two writes leaves a session
 * whose token its caller never got.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async create(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    const index = this.#userKey(data.userId);
    if (isCluster(this.redis)) {
      await call(() => this.redis.set(this.#key(tokenHash), JSON.stringify(data), 'PX', ttlMs));
      await execPipeline(
        this.redis
          .multi()
          .sadd(index, tokenHash)
          .pexpire(index, ttlMs, 'NX')
          .pexpire(index, ttlMs, 'GT'),
      );
      return;
    }
    // One transaction: `deleteAllOf` sees the session and its index entry together or neither.
    await execPipeline(
      this.redis
        .multi()
        .set(this.#key(tokenHash), JSON.stringify(data), 'PX', ttlMs)
        .sadd(index, tokenHash)
        // NX then GT: a new index takes this TTL, an existing one only grows.
        .pexpire(index, ttlMs, 'NX')
        .pexpire(index, ttlMs, 'GT'),
    );
  }

  async get(tokenHash: string): Promise<SessionData | undefined> {
    const raw = await call(() => this.redis.get(this.#key(tokenHash)));
    return raw === null ? undefined : (JSON.parse(raw) as SessionData);
  }

  async delete(tokenHash: string): Promise<void> {
    // The index entry stays until the index expires: `deleteAllOf` skips hashes already gone.
    await call(() => this.redis.del(this.#key(tokenHash)));
  }

  async deleteAllOf(userId: string): Promise<number> {
    const index = this.#userKey(userId);
    const hashes = await call(() => this.redis.smembers(index));
    if (hashes.length === 0) return 0;
    if (isCluster(this.redis)) {
      const redis = this.redis;
      const deleted = await Promise.all(hashes.map((h) => call(() => redis.del(this.#key(h)))));
      await call(() => redis.srem(index, ...hashes));
      return deleted.reduce((sum, n) => sum + n, 0);
    }
    const replies = await execPipeline(
      this.redis
        .multi()
        .del(...hashes.map((h) => this.#key(h)))
        .del(index),
    );
    return Number(replies[0] ?? 0);
  }

  #key(tokenHash: string): string {
    return `${this.prefix}sess:${tokenHash}`;
  }

  #userKey(userId: string): string {
    return `${this.prefix}sessu:${userId}`;
  }
}
