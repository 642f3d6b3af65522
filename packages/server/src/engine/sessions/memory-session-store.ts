import { ExpiringMap } from '../memory/expiring-map.js';
import type { SessionData, SessionStore } from './session-store.js';

/** Sessions in this process, on the engine's clock. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new ExpiringMap<SessionData>();
  /** user → their token hashes (some may have expired or been deleted since). */
  readonly #byUser = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {}

  async create(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    this.#sessions.set(tokenHash, data, this.now() + ttlMs);
    const hashes = this.#byUser.get(data.userId) ?? new Set<string>();
    hashes.add(tokenHash);
    this.#byUser.set(data.userId, hashes);
  }

  async get(tokenHash: string): Promise<SessionData | undefined> {
    return this.#sessions.live(tokenHash, this.now())?.value;
  }

  async delete(tokenHash: string): Promise<void> {
    const data = this.#sessions.live(tokenHash, Number.NEGATIVE_INFINITY)?.value;
    this.#sessions.delete(tokenHash);
    if (data) this.#unindex(data.userId, tokenHash);
  }

  async deleteAllOf(userId: string): Promise<number> {
    const hashes = this.#byUser.get(userId);
    this.#byUser.delete(userId);
    let live = 0;
    for (const hash of hashes ?? []) {
      if (this.#sessions.live(hash, this.now())) live++;
      this.#sessions.delete(hash);
    }
    return live;
  }

  /** Sessions held (expired ones included until reclaimed): for tests. */
  get size(): number {
    return this.#sessions.size;
  }

  reclaim(now: number): void {
    this.#sessions.reclaim(now);
    for (const [userId, hashes] of this.#byUser) {
      for (const hash of hashes) if (!this.#sessions.live(hash, now)) hashes.delete(hash);
      if (hashes.size === 0) this.#byUser.delete(userId);
    }
  }

  clear(): void {
    this.#sessions.clear();
    this.#byUser.clear();
  }

  #unindex(userId: string, tokenHash: string): void {
    const hashes = this.#byUser.get(userId);
    hashes?.delete(tokenHash);
    if (hashes?.size === 0) this.#byUser.delete(userId);
  }
}
