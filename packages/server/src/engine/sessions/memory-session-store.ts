import { ExpiringMap } from '../memory/expiring-map.js';
import type { SessionData, SessionStore } from './session-store.js';

/** Sessions in this process, on the engine's clock. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new ExpiringMap<SessionData>();

  constructor(private readonly now: () => number) {}

  async create(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    this.#sessions.set(tokenHash, data, this.now() + ttlMs);
  }

  async get(tokenHash: string): Promise<SessionData | undefined> {
    return this.#sessions.live(tokenHash, this.now())?.value;
  }

  async delete(tokenHash: string): Promise<void> {
    this.#sessions.delete(tokenHash);
  }

  /** Sessions held (expired ones included until reclaimed): for tests. */
  get size(): number {
    return this.#sessions.size;
  }

  reclaim(now: number): void {
    this.#sessions.reclaim(now);
  }

  clear(): void {
    this.#sessions.clear();
  }
}
