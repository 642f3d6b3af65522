import { Redis } from 'ioredis';
import type { Ledger } from './ledger.js';

/** How long after its failure a send is still probed for: the longest window the bug needs. */
const PROBE_FOR_MS = 60_000;

/**
 * Looks in Redis, once a second, for the stored copy of every send that was answered failed
 * (`P{room}:m:<from>:<clientMsgId>`, packages/server/src/engine/redis/redis-keys.ts). The key lives
 * at least the shortest TTL (10 s) from the moment it is written, so a poll every second sees any
 * copy written while Redis answers — even one that expires before the final history sweep. The
 * only blind spot: a copy written less than a second before a stall longer than its TTL.
 */
export class StoredProbe {
  readonly #redis: Redis;
  readonly #failedAt = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ledger: Ledger,
  ) {
    // EXISTS touches no TTL. A short timeout: a stalled Redis only skips polls.
    this.#redis = new Redis(url, { commandTimeout: 1000, maxRetriesPerRequest: 0 });
    this.#redis.on('error', () => {});
  }

  start(): void {
    this.#timer = setInterval(() => void this.poll(false), 1000);
  }

  /** `all`: every failed send of the run, however old (the final check). */
  async poll(all: boolean): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const now = Date.now();
      const due = this.ledger.failedSends().filter((r) => {
        const at = this.#failedAt.get(r.key) ?? now;
        this.#failedAt.set(r.key, at);
        return all || now - at < PROBE_FOR_MS;
      });
      if (due.length === 0) return;
      const batch = this.#redis.pipeline();
      for (const r of due) batch.exists(`${this.prefix}{${r.room}}:m:${r.from}:${r.clientMsgId}`);
      const replies = (await batch.exec()) ?? [];
      replies.forEach(([err, n], i) => {
        const r = due[i];
        if (!err && n === 1 && r) this.ledger.storedAfterFailure(r.key);
      });
    } catch {
      // Redis down or stalled: the next poll tries again.
    } finally {
      this.#busy = false;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#redis.disconnect();
  }
}
