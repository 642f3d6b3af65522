import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import { call } from '../redis/redis-call.js';
import type { Bus, TopicListener } from './bus.js';

/** Length of the origin tag that prefixes every payload on the wire (16 hex characters). */
const TAG_LENGTH = 16;
/**
 * The origin tag of a broadcast (and of a group send script's publish): no node's (a random tag is
 * all zeros with probability 2^-64), so every node, the publisher too, takes it from Redis.
 */
export const NO_ORIGIN = '0'.repeat(TAG_LENGTH);

/**
 * What a send script needs to fan a message out: the members' channels, whether this node's
 * subscription to each is confirmed (so the script can tell another node's subscription from
 * ours). `release` must be called once the script has settled.
 */
export interface FanoutLease {
  readonly channels: readonly string[];
  readonly mine: readonly (0 | 1)[];
  release(): void;
}

/**
 * Fan-out between nodes over Redis pub/sub: publishes go out on the command connection, and a
 * second connection, dedicated to subscribing (a subscribed connection can run nothing else),
 * receives them. Channel = key prefix + topic. At most once: a gap shows in the room seq.
 *
 * A node never hears itself through Redis. Every payload on the wire is prefixed with the
 * publishing node's random tag; the publisher hands the payload to its own listener directly and
 * drops its echo. The send script goes further (see messages/append-script.ts): it publishes on a
 * member's channel only when `PUBSUB NUMSUB` shows a subscriber besides this node, so a chat whose
 * members are all on one node costs Redis no pub/sub at all.
 */
export class RedisBus implements Bus {
  readonly tag = randomBytes(TAG_LENGTH / 2).toString('hex');
  /** channel → listener: what this node wants, the truth to resubscribe from. */
  readonly #listeners = new Map<string, TopicListener>();
  /** Channels Redis has confirmed this node subscribed to, since the link last came up. */
  readonly #confirmed = new Set<string>();
  /** channel → send scripts in flight that were told this node subscribes to it. */
  readonly #leases = new Map<string, number>();
  /** Channels to UNSUBSCRIBE once their leases are released. */
  readonly #deferred = new Set<string>();
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
    subscriber.on('message', (channel: string, payload: string) =>
      this.#fromRedis(channel, payload),
    );
    const lost = () => {
      this.#lost = true;
      this.#confirmed.clear();
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

  channel(topic: string): string {
    return this.prefix + topic;
  }

  async publish(topic: string, payload: string): Promise<void> {
    const channel = this.channel(topic);
    await call(() => this.commands.publish(channel, this.tag + payload));
    this.deliverLocally(channel, payload);
  }

  async broadcast(topic: string, payload: string): Promise<void> {
    const channel = this.channel(topic);
    await call(() => this.commands.publish(channel, NO_ORIGIN + payload));
  }

  /** Hands a payload to this node's listener of a channel, as if it had come through Redis. */
  deliverLocally(channel: string, payload: string): void {
    const listener = this.#listeners.get(channel);
    if (!listener) return;
    try {
      listener(payload);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message, channel }, 'topic listener failed');
    }
  }

  /**
   * Pins the current subscriptions of these topics for one send script: while leased, a channel
   * this node reports as subscribed stays subscribed in Redis, so the script never mistakes
   * another node's subscriber for ours.
   */
  lease(topics: readonly string[]): FanoutLease {
    // Runs for every send: plain loops, no closures per channel.
    const channels: string[] = [];
    const mine: (0 | 1)[] = [];
    const held: string[] = [];
    for (const topic of topics) {
      const c = this.prefix + topic;
      channels.push(c);
      const confirmed = this.#confirmed.has(c);
      mine.push(confirmed ? 1 : 0);
      if (confirmed) {
        held.push(c);
        this.#leases.set(c, (this.#leases.get(c) ?? 0) + 1);
      }
    }
    let released = false;
    return {
      channels,
      mine,
      release: () => {
        if (released) return;
        released = true;
        for (const c of held) {
          const left = (this.#leases.get(c) ?? 1) - 1;
          if (left > 0) {
            this.#leases.set(c, left);
            continue;
          }
          this.#leases.delete(c);
          if (this.#deferred.delete(c) && !this.#listeners.has(c)) void this.#unsubscribe(c);
        }
      },
    };
  }

  async subscribe(topic: string, listener: TopicListener): Promise<void> {
    const channel = this.channel(topic);
    const replacing = this.#listeners.has(channel);
    this.#listeners.set(channel, listener);
    this.#stale.delete(channel);
    this.#deferred.delete(channel);
    try {
      // SUBSCRIBE again even when replacing a listener: idempotent, it settles any doubt about
      // an earlier SUBSCRIBE that failed, and its reply tells the caller that from now on every
      // publish on the channel reaches this node (the gateway relies on it; see #authenticate).
      await call(() => this.subscriber.subscribe(channel));
    } catch (err) {
      // A channel that was already wanted stays wanted (other callers rely on it; a lost link
      // resubscribes it): only a fresh one is dropped.
      if (!replacing && this.#listeners.get(channel) === listener) this.#listeners.delete(channel);
      throw err;
    }
    if (this.#listeners.has(channel) && !this.#lost) this.#confirmed.add(channel);
  }

  /**
   * Stops delivery at once. If Redis cannot be told now, the channel is unsubscribed when the
   * link comes back, so this resolves either way: what the caller asked for has happened.
   */
  async unsubscribe(topic: string): Promise<void> {
    const channel = this.channel(topic);
    this.#listeners.delete(channel);
    this.#confirmed.delete(channel);
    if (this.#leases.has(channel)) {
      this.#deferred.add(channel);
      return;
    }
    await this.#unsubscribe(channel);
  }

  onResubscribed(listener: () => void): void {
    this.#resubscribed.push(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#confirmed.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  async #unsubscribe(channel: string): Promise<void> {
    try {
      await this.subscriber.unsubscribe(channel);
    } catch {
      this.#stale.add(channel);
    }
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
      for (const c of channels) if (this.#listeners.has(c)) this.#confirmed.add(c);
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

  #fromRedis(channel: string, wire: string): void {
    // Our own publish: its listener was already called directly.
    if (wire.startsWith(this.tag)) return;
    this.deliverLocally(channel, wire.slice(TAG_LENGTH));
  }
}
