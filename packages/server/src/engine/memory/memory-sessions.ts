import type { CounterState, SessionData } from '../engine.js';
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
