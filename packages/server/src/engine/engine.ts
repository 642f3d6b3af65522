import type { Bus } from './bus/bus.js';
import type { Counters } from './counters/counters.js';
import type { MessageStore } from './messages/message-store.js';
import type { Presence } from './presence/presence.js';
import type { SessionStore } from './sessions/session-store.js';

/**
 * All ephemeral state, one seam per concern: sessions, throttling counters, messages, presence
 * and fan-out between nodes. `MemoryEngine` serves one process, `RedisEngine` many nodes (one
 * shared command connection, one subscriber). Services take only the seams they use.
 */
export interface Engine {
  readonly kind: 'memory' | 'redis';
  readonly sessions: SessionStore;
  readonly counters: Counters;
  readonly messages: MessageStore;
  readonly presence: Presence;
  readonly bus: Bus;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
