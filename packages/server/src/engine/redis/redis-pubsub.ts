import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { TopicListener } from '../engine.js';
import { call } from './redis-call.js';

/**
 * Fan-out between nodes over Redis pub/sub: publishes go out on the command connection, and a
 * second connection, dedicated to subscribing (a subscribed connection can run nothing else),
 * receives them. Channel = key prefix + topic. At most once: a gap shows in the room seq.
 */
export class RedisPubSub {
  /** channel → listener: what this node wants, the truth to resubscribe from. */
  readonly #listeners = new Map<string, TopicListener>();
  /** Channels whose UNSUBSCRIBE failed during an outage; retried once the link is back. */
  readonly #stale = new Set<string>();
  readonly #resubscribed: (() => void)[] = [];
  #lost = false;
  #closed = false;

  constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
  ) {
    subscriber.on('message', (channel: string, payload: string) => this.#deliver(channel, payload));
    const lost = () => {
      this.#lost = true;
    };
    subscriber.on('close', lost);
    subscriber.on('end', lost);
    subscriber.on('error', lost);
    subscriber.on('ready', () => {
      if (!this.#lost || this.#closed) return;
      this.#lost = false;
      void this.#resync();
    });
  }

  async publish(topic: string, payload: string): Promise<void> {
    await call(() => this.commands.publish(this.prefix + topic, payload));
  }

  async subscribe(topic: string, listener: TopicListener): Promise<void> {
    const channel = this.prefix + topic;
    this.#listeners.set(channel, listener);
    this.#stale.delete(channel);
    try {
      // SUBSCRIBE again even when replacing a listener: idempotent, and it settles any doubt
      // about an earlier SUBSCRIBE that failed.
      await call(() => this.subscriber.subscribe(channel));
    } catch (err) {
      if (this.#listeners.get(channel) === listener) this.#listeners.delete(channel);
      throw err;
    }
  }

  /**
   * Stops delivery at once. If Redis cannot be told now, the channel is unsubscribed when the
   * link comes back, so this resolves either way: what the caller asked for has happened.
   */
  async unsubscribe(topic: string): Promise<void> {
    const channel = this.prefix + topic;
    this.#listeners.delete(channel);
    try {
      await this.subscriber.unsubscribe(channel);
    } catch {
      this.#stale.add(channel);
    }
  }

  onResubscribed(listener: () => void): void {
    this.#resubscribed.push(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  /**
   * After a reconnect ioredis has already re-sent SUBSCRIBE for the channels it knew (before
   * emitting `ready`); subscribing to our own list again and waiting for the reply makes sure every
   * subscription is in place before listeners hear that the link is back.
   */
  async #resync(): Promise<void> {
    try {
      const channels = [...this.#listeners.keys()];
      if (channels.length) await this.subscriber.subscribe(...channels);
      const stale = [...this.#stale].filter((c) => !this.#listeners.has(c));
      if (stale.length) await this.subscriber.unsubscribe(...stale);
      for (const channel of stale) this.#stale.delete(channel);
    } catch (err) {
      // Lost again: the next `ready` runs this once more.
      this.logger.warn({ err: (err as Error).message }, 'redis resubscribe failed');
      return;
    }
    this.logger.info({ channels: this.#listeners.size }, 'redis fan-out resubscribed');
    for (const listener of this.#resubscribed) {
      try {
        listener();
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'onResubscribed listener failed');
      }
    }
  }

  #deliver(channel: string, payload: string): void {
    const listener = this.#listeners.get(channel);
    if (!listener) return;
    try {
      listener(payload);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, channel }, 'topic listener failed');
    }
  }
}
