import type { Redis } from 'ioredis';
import { call } from '../redis/redis-call.js';
import type { SessionData, SessionStore } from './session-store.js';

/** Sessions (`Psess:<tokenHash>`) in Redis, each with its PX TTL. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async create(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    await call(() => this.redis.set(this.#key(tokenHash), JSON.stringify(data), 'PX', ttlMs));
  }

  async get(tokenHash: string): Promise<SessionData | undefined> {
    const raw = await call(() => this.redis.get(this.#key(tokenHash)));
    return raw === null ? undefined : (JSON.parse(raw) as SessionData);
  }

  async delete(tokenHash: string): Promise<void> {
    await call(() => this.redis.del(this.#key(tokenHash)));
  }

  #key(tokenHash: string): string {
    return `${this.prefix}sess:${tokenHash}`;
  }
}
