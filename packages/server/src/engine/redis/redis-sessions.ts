import type { Redis } from 'ioredis';
import type { CounterState, SessionData } from '../engine.js';
import { call } from './redis-call.js';

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

/** Sessions (`Psess:<tokenHash>`) and fixed-window counters (`Pctr:<key>`) in Redis. */
export class RedisSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async createSession(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    await call(() =>
      this.redis.set(this.#key('sess', tokenHash), JSON.stringify(data), 'PX', ttlMs),
    );
  }

  async getSession(tokenHash: string): Promise<SessionData | undefined> {
    const raw = await call(() => this.redis.get(this.#key('sess', tokenHash)));
    return raw === null ? undefined : (JSON.parse(raw) as SessionData);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await call(() => this.redis.del(this.#key('sess', tokenHash)));
  }

  async hitCounter(key: string, windowMs: number): Promise<CounterState> {
    const [count, ttl] = (await call(() =>
      this.redis.eval(HIT_COUNTER, 1, this.#key('ctr', key), windowMs),
    )) as [number, number];
    return { count, resetInMs: ttl };
  }

  async peekCounter(key: string): Promise<CounterState> {
    const k = this.#key('ctr', key);
    const [[, count], [, ttl]] = (await call(() => this.redis.multi().get(k).pttl(k).exec())) as [
      [unknown, string | null],
      [unknown, number],
    ];
    return count === null
      ? { count: 0, resetInMs: 0 }
      : { count: Number(count), resetInMs: Math.max(ttl, 0) };
  }

  async resetCounter(key: string): Promise<void> {
    await call(() => this.redis.del(this.#key('ctr', key)));
  }

  #key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }
}
