import type { Message } from '@ephemeral-chat/protocol';
import type { Logger } from '../../logger.js';
import type {
  AppendInput,
  AppendResult,
  CounterBudget,
  CounterState,
  Engine,
  Reservation,
  SessionData,
  TopicListener,
} from '../engine.js';
import { MemoryBus } from './memory-bus.js';
import { MemoryMessages } from './memory-messages.js';
import { MemoryPresence } from './memory-presence.js';
import { MemorySessions } from './memory-sessions.js';

/**
 * All ephemeral state in this process: the embedded default for a single node. Entries expire
 * lazily on read, and a sweep (unref'd, so it never keeps the process alive) reclaims the rest.
 */
export class MemoryEngine implements Engine {
  readonly kind = 'memory' as const;
  readonly #sessions = new MemorySessions(() => this.now());
  readonly #sweep: NodeJS.Timeout;
  readonly #bus: MemoryBus;
  readonly #messages: MemoryMessages;
  readonly #presence = new MemoryPresence();

  constructor(
    options: {
      sweepIntervalMs?: number;
      now?: () => number;
      /** Told when a topic listener throws (the bus carries on). */
      logger?: Pick<Logger, 'warn'>;
    } = {},
  ) {
    if (options.now) this.now = options.now;
    const logger = options.logger;
    this.#bus = new MemoryBus((err, topic) =>
      logger?.warn({ err: (err as Error)?.message, topic }, 'topic listener failed'),
    );
    this.#messages = new MemoryMessages((topic, payload) => this.#bus.publish(topic, payload));
    this.#sweep = setInterval(() => this.#reclaim(), options.sweepIntervalMs ?? 30_000);
    this.#sweep.unref();
  }

  now: () => number = Date.now;

  async createSession(tokenHash: string, data: SessionData, ttlMs: number): Promise<void> {
    this.#sessions.createSession(tokenHash, data, ttlMs);
  }

  async getSession(tokenHash: string): Promise<SessionData | undefined> {
    return this.#sessions.getSession(tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.#sessions.deleteSession(tokenHash);
  }

  async hitCounter(key: string, windowMs: number): Promise<CounterState> {
    return this.#sessions.hitCounter(key, windowMs);
  }

  async peekCounter(key: string): Promise<CounterState> {
    return this.#sessions.peekCounter(key);
  }

  async resetCounter(key: string): Promise<void> {
    this.#sessions.resetCounter(key);
  }

  async reserveCounters(budgets: readonly CounterBudget[]): Promise<Reservation> {
    return this.#sessions.reserveCounters(budgets);
  }

  async refundCounter(key: string): Promise<void> {
    this.#sessions.refundCounter(key);
  }

  async appendMessage(input: AppendInput): Promise<AppendResult> {
    return this.#messages.append(input);
  }

  async readAfter(room: string, after: number, limit: number, now: number, maxBytes?: number) {
    return this.#messages.readAfter(room, after, limit, now, maxBytes);
  }

  async readBefore(
    room: string,
    before: number | undefined,
    limit: number,
    now: number,
    maxBytes?: number,
  ) {
    return this.#messages.readBefore(room, before, limit, now, maxBytes);
  }

  async listChats(userId: string, limit: number, now: number): Promise<Message[]> {
    return this.#messages.listChats(userId, limit, now);
  }

  async markOnline(userId: string, nodeId: string, ttlMs: number, now: number) {
    return this.#presence.markOnline(userId, nodeId, ttlMs, now);
  }

  async markOffline(userId: string, nodeId: string, now: number): Promise<boolean> {
    return this.#presence.markOffline(userId, nodeId, now);
  }

  async refreshOnline(userIds: readonly string[], nodeId: string, ttlMs: number, now: number) {
    this.#presence.refreshOnline(userIds, nodeId, ttlMs, now);
  }

  async onlineUsers(userIds: readonly string[], now: number): Promise<Set<string>> {
    return this.#presence.onlineUsers(userIds, now);
  }

  async publish(topic: string, payload: string): Promise<void> {
    this.#bus.publish(topic, payload);
  }

  async subscribe(topic: string, listener: TopicListener): Promise<void> {
    this.#bus.subscribe(topic, listener);
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#bus.unsubscribe(topic);
  }

  /** Never called: an in-process bus cannot lose its link. */
  onResubscribed(_listener: () => void): void {}

  /** Entries held for a room's index, expired ones included until pruned (for tests). */
  indexSize(room: string): number {
    return this.#messages.indexSize(room);
  }

  /** How much state is held (for tests that check the sweep reclaims it). */
  sizes() {
    return {
      ...this.#messages.sizes(),
      presence: this.#presence.size(),
      sessions: this.#sessions.size,
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#sessions.clear();
    this.#messages.clear();
    this.#presence.clear();
    this.#bus.clear();
  }

  #reclaim(): void {
    const now = this.now();
    this.#sessions.reclaim(now);
    this.#messages.reclaim(now);
    this.#presence.reclaim(now);
  }
}
