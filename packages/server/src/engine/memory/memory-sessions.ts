import type { CounterBudget, CounterState, Reservation, SessionData } from '../engine.js';
import { ExpiringMap } from './expiring-map.js';

/** Sessions and fixed-window counters in this process, on the engine's clock. */
export class MemorySessions {
  readonly #sessions = new ExpiringMap<SessionData>();
  readonly #counters = new ExpiringMap<number>();

  constructor(private readonly now: () => number) {}

  createSession(tokenHash: string, data: SessionData, ttlMs: number): void {
    this.#sessions.set(tokenHash, data, this.now() + ttlMs);
  }

  getSession(tokenHash: string): SessionData | undefined {
    return this.#sessions.live(tokenHash, this.now())?.value;
  }

  deleteSession(tokenHash: string): void {
    this.#sessions.delete(tokenHash);
  }

  hitCounter(key: string, windowMs: number): CounterState {
    const now = this.now();
    const entry = this.#counters.live(key, now);
    if (entry) {
      entry.value += 1;
      return { count: entry.value, resetInMs: entry.expiresAt - now };
    }
    this.#counters.set(key, 1, now + windowMs);
    return { count: 1, resetInMs: windowMs };
  }

  peekCounter(key: string): CounterState {
    const now = this.now();
    const entry = this.#counters.live(key, now);
    return entry ? { count: entry.value, resetInMs: entry.expiresAt - now } : empty;
  }

  resetCounter(key: string): void {
    this.#counters.delete(key);
  }

  /** Synchronous, so no other caller can interleave between the check and the hits. */
  reserveCounters(budgets: readonly CounterBudget[]): Reservation {
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

  refundCounter(key: string): void {
    const entry = this.#counters.live(key, this.now());
    if (entry && entry.value > 0) entry.value -= 1;
  }

  /** Sessions held (expired ones included until reclaimed): for tests. */
  get size(): number {
    return this.#sessions.size;
  }

  reclaim(now: number): void {
    this.#sessions.reclaim(now);
    this.#counters.reclaim(now);
  }

  clear(): void {
    this.#sessions.clear();
    this.#counters.clear();
  }
}

const empty: CounterState = Object.freeze({ count: 0, resetInMs: 0 });
