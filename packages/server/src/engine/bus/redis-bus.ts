import { randomBytes } from 'node:crypto';
import { roomTopic } from '../../delivery/topics.js';
import type { Logger } from '../../logger.js';
import { keySlot } from '../redis/key-slot.js';
import { call } from '../redis/redis-call.js';
import { isCluster, type RedisClient } from '../redis/redis-client-type.js';
import { defineScripts, type ScriptedRedis, scriptedPipeline } from '../redis/redis-scripts.js';
import type { Bus, TopicListener } from './bus.js';

/** Length of the origin tag that prefixes every payload on the wire (16 hex characters). */
const TAG_LENGTH = 16;
/**
 * The origin tag of a broadcast (and of a group send script's publish): no node's (a random tag is
 * all zeros with probability 2^-64), so every node, the publisher too, takes it from Redis.
 */
export const NO_ORIGIN = '0'.repeat(TAG_LENGTH);

/** A room topic's prefix (`room:`), whose channel carries the room's hash tag on a Cluster. */
const ROOM_TOPIC = roomTopic('');

/**
 * Cluster only: SPUBLISH on a channel (KEYS[1], so the call goes to the shard owning its slot)
 * when `PUBSUB SHARDNUMSUB` there shows a subscriber besides the caller (ARGV[1]: 1 when the
 * caller's own subscription is confirmed, 0 if not) — APPEND's NUMSUB rule, after the script.
 * Sharded subscribers connect to masters (ioredis), and so does this call.
 */
const FANOUT = `
if redis.call('PUBSUB', 'SHARDNUMSUB', KEYS[1])[2] > tonumber(ARGV[1]) then
  return redis.call('SPUBLISH', KEYS[1], ARGV[2])
end
return 0
`;
const busScripts = { ecFanout: { numberOfKeys: 1, lua: FANOUT } } as const;

/**
 * What a send script needs to fan a message out: the members' channels, whether this node's
 * subscription to each is confirmed (so the script can tell another node's subscription from
 * ours). `release` must be called once the script has settled.
 */
/** One frame for `fanoutMany`: as `fanout`'s arguments. */
export interface FanoutItem {
  readonly channel: string;
  readonly mine: number;
  readonly payload: string;
  readonly origin?: string;
}

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
 *
 * On a Redis Cluster (`sharded`) the bus uses sharded pub/sub: SPUBLISH / SSUBSCRIBE (`smessage`),
 * routed by the channel's slot, each shard carrying only its own channels. A room topic's channel
 * carries the room's hash tag (`P{room}:room`), so a room's script may SPUBLISH on it; a user's
 * channel lies on another slot, so the scripts return those frames and the node publishes them
 * (`fanout`) before it answers the caller.
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
  #retry: NodeJS.Timeout | undefined;
  #resyncing = false;
  #fanoutFailing = false;
  /** Sharded pub/sub (Redis Cluster). */
  readonly sharded: boolean;
  readonly #scripted: ScriptedRedis<typeof busScripts>;
  /**
   * Sees each payload that comes through Redis (another node's publish, or a broadcast: `group`),
   * before its listener does (metrics: pub/sub lag); unset, nothing is called.
   */
  onRemote: ((payload: string, group: boolean, now: number) => void) | undefined;

  constructor(
    private readonly commands: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
  ) {
    this.sharded = isCluster(commands);
    this.#scripted = defineScripts(commands, busScripts);
    subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, payload: string) =>
      this.#fromRedis(channel, payload),
    );
    const lost = () => {
      this.#lost = true;
      this.#confirmed.clear();
      // A Cluster tells of a lost shard subscriber, not always of its return: try again.
      if (this.sharded && !this.#closed) this.#retry ??= setTimeout(this.#back, 500).unref();
    };
    if (this.sharded) {
      subscriber.on('-subscriber', lost);
      subscriber.on('-node', lost);
      subscriber.on('subscribersReady', this.#back);
    } else {
      subscriber.on('close', lost);
      subscriber.on('end', lost);
      subscriber.on('error', lost);
    }
    subscriber.on('ready', this.#back);
  }

  readonly #back = (): void => {
    this.#retry = undefined;
    if (!this.#lost || this.#closed) return;
    // A Cluster reports a failover many times over: one resync at a time, again if lost meanwhile.
    if (this.sharded && this.#resyncing) return;
    this.#lost = false;
    this.#resyncing = true;
    void this.#resync().finally(() => {
      this.#resyncing = false;
      if (this.sharded && this.#lost && !this.#closed) {
        this.#retry ??= setTimeout(this.#back, 500).unref();
      }
    });
  };

  channel(topic: string): string {
    if (this.sharded && topic.startsWith(ROOM_TOPIC)) {
      return `${this.prefix}{${topic.slice(ROOM_TOPIC.length)}}:room`;
    }
    return this.prefix + topic;
  }

  async publish(topic: string, payload: string): Promise<void> {
    const channel = this.channel(topic);
    await call(() => this.#publish(channel, this.tag + payload));
    this.deliverLocally(channel, payload);
  }

  async broadcast(topic: string, payload: string): Promise<void> {
    const channel = this.channel(topic);
    await call(() => this.#publish(channel, NO_ORIGIN + payload));
  }

  /**
   * Cluster only: a frame a script left to this node (a user's channel is on another slot),
   * published with this node's tag when another node subscribes (see FANOUT). At most once, as
   * every publish: a failure is logged, never thrown (the frame's seq shows the gap). With
   * `origin` NO_ORIGIN (and `mine` 0) every subscribed node, this one too, takes it from Redis.
   */
  async fanout(channel: string, mine: number, payload: string, origin = this.tag): Promise<void> {
    try {
      await this.#scripted.ecFanout(channel, mine, origin + payload);
      this.#fanoutFailing = false;
    } catch (err) {
      // Once per spell of failures (a shard down fails every publish to its channels).
      if (!this.#fanoutFailing) {
        this.logger.warn({ err: (err as Error).message }, 'redis fan-out publish failed');
      }
      this.#fanoutFailing = true;
    }
  }

  /**
   * Cluster: many `fanout`s at once, in one pipeline per group of nodes that serve their channels'
   * slots (a Cluster pipeline must stay on one node), so a batch of sends costs one round trip per
   * master instead of one per frame. Same rules as `fanout`: at most once, failures logged.
   */
  async fanoutMany(items: readonly FanoutItem[]): Promise<void> {
    const redis = this.commands;
    if (items.length < 2 || !isCluster(redis)) {
      await Promise.all(items.map((i) => this.fanout(i.channel, i.mine, i.payload, i.origin)));
      return;
    }
    const groups = new Map<string, FanoutItem[]>();
    for (const item of items) {
      const node = redis.slots[keySlot(item.channel)]?.join(',') ?? '';
      const group = groups.get(node);
      if (group) group.push(item);
      else groups.set(node, [item]);
    }
    let failure: unknown;
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const pipeline = scriptedPipeline(this.#scripted);
        for (const { channel, mine, payload, origin = this.tag } of group)
          pipeline.ecFanout(channel, mine, origin + payload);
        try {
          for (const [err] of (await pipeline.exec()) ?? []) if (err) failure ??= err;
        } catch (err) {
          failure ??= err;
        }
      }),
    );
    if (failure === undefined) {
      this.#fanoutFailing = false;
    } else if (!this.#fanoutFailing) {
      this.logger.warn({ err: (failure as Error).message }, 'redis fan-out publish failed');
      this.#fanoutFailing = true;
    } else {
      this.#fanoutFailing = true;
    }
  }

  #publish(channel: string, wire: string): Promise<unknown> {
    return this.sharded
      ? this.commands.spublish(channel, wire)
      : this.commands.publish(channel, wire);
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
      await call(() => this.#subscribe([channel]));
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
    clearTimeout(this.#retry);
    this.#listeners.clear();
    this.#confirmed.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  async #unsubscribe(channel: string): Promise<void> {
    try {
      await this.#unsubscribeAll([channel]);
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
      if (channels.length) await this.#subscribe(channels);
      for (const c of channels) if (this.#listeners.has(c)) this.#confirmed.add(c);
      const stale = [...this.#stale].filter((c) => !this.#listeners.has(c));
      if (stale.length) await this.#unsubscribeAll(stale);
      for (const channel of stale) this.#stale.delete(channel);
    } catch (err) {
      // Lost again: the next `ready` runs this once more.
      this.logger.warn({ err: (err as Error).message }, 'redis resubscribe failed');
      // A Cluster may not say when it is back: #back tries again.
      if (this.sharded) this.#lost = true;
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

  /** SUBSCRIBE, or on a Cluster one SSUBSCRIBE per channel (each goes to its slot's shard). */
  async #subscribe(channels: string[]): Promise<void> {
    if (!this.sharded) {
      await this.subscriber.subscribe(...channels);
      return;
    }
    await Promise.all(channels.map((c) => this.subscriber.ssubscribe(c)));
  }

  async #unsubscribeAll(channels: string[]): Promise<void> {
    if (!this.sharded) {
      await this.subscriber.unsubscribe(...channels);
      return;
    }
    await Promise.all(channels.map((c) => this.subscriber.sunsubscribe(c)));
  }

  #fromRedis(channel: string, wire: string): void {
    // Our own publish: its listener was already called directly.
    if (wire.startsWith(this.tag)) return;
    const payload = wire.slice(TAG_LENGTH);
    this.onRemote?.(payload, wire.startsWith(NO_ORIGIN), Date.now());
    this.deliverLocally(channel, payload);
  }
}
