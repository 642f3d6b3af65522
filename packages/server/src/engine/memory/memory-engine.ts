import type { CounterState, Engine, SessionData } from '../engine.js';

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/**
 * All ephemeral state in this process: the embedded default for a single node. Entries expire
 * lazily on read, and a sweep (unref'd, so it never keeps the process alive) reclaims the rest.
 */
export class MemoryEngine implements Engine {
  readonly kind = 'memory' as const;
  readonly #sessions = new Map<string, Expiring<SessionData>>();
  readonly #counters = new Map<string, Expiring<number>>();
  readonly #sweep: NodeJS.Timeout;

  constructor(options: { sweepIntervalMs?: number; now?: () => number } = {}) {
    if (options.now) this.now = options.now;
    this.#sweep = setInterval(() => this.#reclaim(), options.sweepIntervalMs ?? 30_000);
    this.#sweep.unref();
  }

  now: () => number = Date.now;

  async createSession(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    this.#sessions.set(tokenHash, { value: data, expiresAt: this.now() + ttlMs });
  }

  async getSession(tokenHash: string): Promise<SessionData | undefined> {
    return this.#live(this.#sessions, tokenHash)?.value;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.#sessions.delete(tokenHash);
  }

  async hitCounter(key: string, windowMs: number): Promise<CounterState> {
    const entry = this.#live(this.#counters, key);
    if (entry) {
      entry.value += 1;
      return { count: entry.value, resetInMs: entry.expiresAt - this.now() };
    }
    this.#counters.set(key, { value: 1, expiresAt: this.now() + windowMs });
    return { count: 1, resetInMs: windowMs };
  }

  async peekCounter(key: string): Promise<CounterState> {
    const entry = this.#live(this.#counters, key);
    return entry ? { count: entry.value, resetInMs: entry.expiresAt - this.now() } : empty;
  }

  async resetCounter(key: string): Promise<void> {
    this.#counters.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#sessions.clear();
    this.#counters.clear();
  }

  #live<T>(map: Map<string, Expiring<T>>, key: string): Expiring<T> | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  #reclaim(): void {
    const now = this.now();
    for (const map of [this.#sessions, this.#counters] as Map<string, Expiring<unknown>>[]) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
  }
}

const empty: CounterState = Object.freeze({ count: 0, resetInMs: 0 });
