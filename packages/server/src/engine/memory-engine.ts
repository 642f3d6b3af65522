import type { Logger } from '../logger.js';
import { MemoryBus } from './bus/memory-bus.js';
import { MemoryCounters } from './counters/memory-counters.js';
import type { Engine } from './engine.js';
import { MemoryMessageStore } from './messages/memory-message-store.js';
import { MemoryPresence } from './presence/memory-presence.js';
import { MemorySessionStore } from './sessions/memory-session-store.js';

/**
 * All ephemeral state in this process: the embedded default for a single node. Entries expire
 * lazily on read, and a sweep (unref'd, so it never keeps the process alive) reclaims the rest.
 */
export class MemoryEngine implements Engine {
  readonly kind = 'memory' as const;
  readonly sessions: MemorySessionStore;
  readonly counters: MemoryCounters;
  readonly messages: MemoryMessageStore;
  readonly presence = new MemoryPresence();
  readonly bus: MemoryBus;
  readonly #now: () => number;
  readonly #sweep: NodeJS.Timeout;

  constructor(
    options: {
      sweepIntervalMs?: number;
      now?: () => number;
      /** Told when a topic listener throws (the bus carries on). */
      logger?: Pick<Logger, 'warn'>;
    } = {},
  ) {
    const now = options.now ?? Date.now;
    this.#now = now;
    this.sessions = new MemorySessionStore(now);
    this.counters = new MemoryCounters(now);
    const logger = options.logger;
    this.bus = new MemoryBus((err, topic) =>
      logger?.warn({ err: (err as Error)?.message, topic }, 'topic listener failed'),
    );
    this.messages = new MemoryMessageStore(
      (topic, payload) => void this.bus.publish(topic, payload),
    );
    this.#sweep = setInterval(() => this.#reclaim(), options.sweepIntervalMs ?? 30_000);
    this.#sweep.unref();
  }

  /** How much state is held (for tests that check the sweep reclaims it). */
  sizes() {
    return {
      ...this.messages.sizes(),
      presence: this.presence.size(),
      sessions: this.sessions.size,
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.sessions.clear();
    this.counters.clear();
    this.messages.clear();
    this.presence.clear();
    this.bus.clear();
  }

  #reclaim(): void {
    const now = this.#now();
    this.sessions.reclaim(now);
    this.counters.reclaim(now);
    this.messages.reclaim(now);
    this.presence.reclaim(now);
  }
}
