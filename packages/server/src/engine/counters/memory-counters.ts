import { ExpiringMap } from '../memory/expiring-map.js';
import type { CounterBudget, CounterState, Counters, Reservation } from './counters.js';

/** Fixed-window counters in this process, on the engine's clock. */
export class MemoryCounters implements Counters {
  readonly #counters = new ExpiringMap<number>();

  constructor(private readonly now: () => number) {}

  async hit(key: string, windowMs: number): Promise<CounterState> {
    const now = this.now();
    const entry = this.#counters.live(key, now);
    if (entry) {
      entry.value += 1;
      return { count: entry.value, resetInMs: entry.expiresAt - now };
    }
    this.#counters.set(key, 1, now + windowMs);
    return { count: 1, resetInMs: windowMs };
  }

  async peek(key: string): Promise<CounterState> {
    const now = this.now();
    const entry = this.#counters.live(key, now);
    return entry ? { count: entry.value, resetInMs: entry.expiresAt - now } : empty;
  }

  async reset(key: string): Promise<void> {
    this.#counters.delete(key);
  }

  /** No await inside, so no other caller can interleave between the check and the hits. */
  async reserve(budgets: readonly CounterBudget[]): Promise<Reservation> {
    const now = this.now();
    let refused = false;
    let retryInMs = 0;
    for (const b of budgets) {
      const entry = this.#counters.live(b.key, now);
      if (entry && entry.value >= b.max) {
        refused = true;
        retryInMs = Math.max(retryInMs, entry.expiresAt - now);
      }
    }
    if (refused) return { ok: false, retryInMs };
    const hit = budgets.map((b) => {
      const entry = this.#counters.live(b.key, now);
      if (entry) entry.value += 1;
      else this.#counters.set(b.key, 1, now + b.windowMs);
      return this.#counters.live(b.key, now);
    });
    const latest = Math.max(...hit.map((e) => e?.expiresAt ?? 0));
    budgets.forEach((b, i) => {
      const entry = hit[i];
      if (b.outlive && entry) entry.expiresAt = Math.max(entry.expiresAt, latest);
    });
    return { ok: true };
  }

  async refund(key: string): Promise<void> {
    const entry = this.#counters.live(key, this.now());
    if (entry && entry.value > 0) entry.value -= 1;
  }

  reclaim(now: number): void {
    this.#counters.reclaim(now);
  }

  clear(): void {
    this.#counters.clear();
  }
}

const empty: CounterState = Object.freeze({ count: 0, resetInMs: 0 });
