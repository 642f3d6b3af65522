import type { Redis } from 'ioredis';
import { UnavailableError } from '../../errors/app-error.js';
import type { Logger } from '../../logger.js';
import type { CounterState, Engine, SessionData } from '../engine.js';
import { connectRedis } from './redis-client.js';

/** INCR a fixed-window counter; the window (PEXPIRE) starts at the first hit. One round trip. */
const HIT_COUNTER = `
local c = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  t = tonumber(ARGV[1])
end
return {c, t}
`;

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

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  static async connect(options: RedisEngineOptions): Promise<RedisEngine> {
    const redis = await connectRedis({ ...options, role: 'commands' });
    return new RedisEngine(redis, options.keyPrefix);
  }

  async createSession(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    await this.#call(() =>
      this.redis.set(this.#key('sess', tokenHash), JSON.stringify(data), 'PX', ttlMs),
    );
  }

  async getSession(tokenHash: string): Promise<SessionData | undefined> {
    const raw = await this.#call(() => this.redis.get(this.#key('sess', tokenHash)));
    return raw === null ? undefined : (JSON.parse(raw) as SessionData);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#call(() => this.redis.del(this.#key('sess', tokenHash)));
  }

  async hitCounter(key: string, windowMs: number): Promise<CounterState> {
    const [count, ttl] = (await this.#call(() =>
      this.redis.eval(HIT_COUNTER, 1, this.#key('ctr', key), windowMs),
    )) as [number, number];
    return { count, resetInMs: ttl };
  }

  async peekCounter(key: string): Promise<CounterState> {
    const k = this.#key('ctr', key);
    const [[, count], [, ttl]] = (await this.#call(() =>
      this.redis.multi().get(k).pttl(k).exec(),
    )) as [[unknown, string | null], [unknown, number]];
    return count === null
      ? { count: 0, resetInMs: 0 }
      : { count: Number(count), resetInMs: Math.max(ttl, 0) };
  }

  async resetCounter(key: string): Promise<void> {
    await this.#call(() => this.redis.del(this.#key('ctr', key)));
  }

  async ping(): Promise<void> {
    await this.#call(() => this.redis.ping());
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  #key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw new UnavailableError('engine', err);
    }
  }
}
