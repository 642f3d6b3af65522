import { argsOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import { isCluster, type RedisClient } from '../redis/redis-client-type.js';
import {
  HIT_ARGV,
  HIT_COUNTER,
  REFUND_COUNTER,
  RESERVE_BUDGET_ARGV,
  RESERVE_COUNTERS,
} from './counter-scripts.js';
import type { CounterBudget, CounterState, Counters, Reservation } from './counters.js';

/** Fixed-window counters (`Pctr:<key>`; on a Cluster `Pctr:{ctr}:<key>`) in Redis. */
export class RedisCounters implements Counters {
  /** The counters' hash tag on a Redis Cluster (see #key). */
  readonly #tag: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.#tag = isCluster(redis) ? '{ctr}:' : '';
  }

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

  /**
   * All or none, in one script. On a Redis Cluster every counter key carries one hash tag, so a
   * reservation's keys share a slot (see #key).
   */
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

  /**
   * `Pctr:<key>`; on a Redis Cluster `Pctr:{ctr}:<key>`: one slot for every counter, so that
   * RESERVE_COUNTERS checks and counts an account's, an address's and their pair's budgets in one
   * atomic script. Counters only meter sign-in, registration and deletion attempts (bcrypt-bound,
   * a few hundred a second at most), which one shard carries easily.
   */
  #key(key: string): string {
    return `${this.prefix}ctr:${this.#tag}${key}`;
  }
}
