import type { Redis } from 'ioredis';
import type { CounterBudget, CounterState, Reservation, SessionData } from '../engine.js';
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

/**
 * Checks every budget, then hits all of them or none: one script, so concurrent callers on any
 * node are counted one by one. KEYS: the counters; ARGV: max, windowMs, outlive (1/0) per key.
 * Returns {1} when reserved, {0, ms until the longest spent window ends} when refused.
 */
const RESERVE_COUNTERS = `
local refused = false
local wait = 0
for i = 1, #KEYS do
  local c = tonumber(redis.call('GET', KEYS[i]) or '0')
  if c >= tonumber(ARGV[3 * i - 2]) then
    refused = true
    wait = math.max(wait, redis.call('PTTL', KEYS[i]))
  end
end
if refused then return {0, wait} end
local ttls = {}
local latest = 0
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i])
  local t = redis.call('PTTL', KEYS[i])
  if t < 0 then
    t = tonumber(ARGV[3 * i - 1])
    redis.call('PEXPIRE', KEYS[i], t)
  end
  ttls[i] = t
  latest = math.max(latest, t)
end
for i = 1, #KEYS do
  if ARGV[3 * i] == '1' and ttls[i] < latest then redis.call('PEXPIRE', KEYS[i], latest) end
end
return {1, 0}
`;

/** DECR that never goes below zero nor creates a key, so the window is kept. */
const REFUND_COUNTER = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c > 0 then redis.call('DECR', KEYS[1]) end
return 0
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

  /** The keys may lie on different slots: not for Redis Cluster as is (tag them first). */
  async reserveCounters(budgets: readonly CounterBudget[]): Promise<Reservation> {
    const keys = budgets.map((b) => this.#key('ctr', b.key));
    const args = budgets.flatMap((b) => [b.max, b.windowMs, b.outlive ? 1 : 0]);
    const [ok, wait] = (await call(() =>
      this.redis.eval(RESERVE_COUNTERS, keys.length, ...keys, ...args),
    )) as [number, number];
    return ok === 1 ? { ok: true } : { ok: false, retryInMs: Math.max(wait, 0) };
  }

  async refundCounter(key: string): Promise<void> {
    await call(() => this.redis.eval(REFUND_COUNTER, 1, this.#key('ctr', key)));
  }

  #key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }
}
