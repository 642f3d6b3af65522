import type { Redis } from 'ioredis';
import { argsOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import {
  HIT_ARGV,
  HIT_COUNTER,
  REFUND_COUNTER,
  RESERVE_BUDGET_ARGV,
  RESERVE_COUNTERS,
} from './counter-scripts.js';
import type { CounterBudget, CounterState, Counters, Reservation } from './counters.js';

/** Fixed-window counters (`Pctr:<key>`) in Redis. */
export class RedisCounters implements Counters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<CounterState> {
    const args = argsOf(HIT_ARGV, { windowMs });
    const [count, ttl] = (await call(() =>
      this.redis.eval(HIT_COUNTER, 1, this.#key(key), ...args),
    )) as [number, number];
    return { count, resetInMs: ttl };
  }

  async peek(key: string): Promise<CounterState> {
    const k = this.#key(key);
    const [[, count], [, ttl]] = (await call(() => this.redis.multi().get(k).pttl(k).exec())) as [
      [unknown, string | null],
      [unknown, number],
    ];
    return count === null
      ? { count: 0, resetInMs: 0 }
      : { count: Number(count), resetInMs: Math.max(ttl, 0) };
  }

  async reset(key: string): Promise<void> {
    await call(() => this.redis.del(this.#key(key)));
  }

  /** The keys may lie on different slots: not for Redis Cluster as is (tag them first). */
  async reserve(budgets: readonly CounterBudget[]): Promise<Reservation> {
    const keys = budgets.map((b) => this.#key(b.key));
    const args = budgets.flatMap((b) =>
      argsOf(RESERVE_BUDGET_ARGV, { max: b.max, windowMs: b.windowMs, outlive: b.outlive ? 1 : 0 }),
    );
    const [ok, wait] = (await call(() =>
      this.redis.eval(RESERVE_COUNTERS, keys.length, ...keys, ...args),
    )) as [number, number];
    return ok === 1 ? { ok: true } : { ok: false, retryInMs: Math.max(wait, 0) };
  }

  async refund(key: string): Promise<void> {
    await call(() => this.redis.eval(REFUND_COUNTER, 1, this.#key(key)));
  }

  #key(key: string): string {
    return `${this.prefix}ctr:${key}`;
  }
}
