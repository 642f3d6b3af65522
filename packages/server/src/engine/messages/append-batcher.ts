import { encodeMessageEvent } from '@ephemeral-chat/protocol';
import { ReplyError } from 'ioredis';
import { userTopic } from '../../delivery/topics.js';
import { UnavailableError } from '../../errors/app-error.js';
import type { FanoutItem, RedisBus } from '../bus/redis-bus.js';
import { groupBySlot, keySlot } from '../redis/key-slot.js';
import { argsOf, sizeOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import { isCluster } from '../redis/redis-client-type.js';
import { type ScriptedRedis, scriptedPipeline } from '../redis/redis-scripts.js';
import { APPEND_ARGV, APPEND_SEND_ARGV, APPEND_SEND_KEYS, TOUCH_ARGV } from './append-scripts.js';
import type { messageScripts } from './message-scripts.js';
import type { RoomIndex, RoomIndexWrite } from './room-index.js';
import type { SendSettler, SendTarget } from './send-settler.js';

/** At most this many sends per script call: a bigger batch would hold Redis longer than a send should wait. */
const BATCH_MAX = 64;

/** A send waiting for this turn's script call. */
export interface QueuedSend {
  /** Its deadline is set when the batch goes out (the call's timeout starts then). */
  target: SendTarget;
  /** The room's seq, read and burn keys (the others are in `target`). */
  seqKey: string;
  readKey: string;
  burnsKey: string;
  now: number;
  ttl: number;
  /** 0 for none. */
  burn: number;
  from: string;
  to: string;
  /** Bit 0: this node subscribes to the sender's channel; bit 1: to the recipient's (see RedisBus.lease). */
  mine: number;
  /** A group send's room channel ('' for a 1:1 send: then `to` is the recipient). */
  chan: string;
  /** A deadline the caller set (tests); else the batch's. */
  deadline: number | undefined;
  touches: RoomIndexWrite[];
  resolve(reply: [number, string]): void;
  reject(err: unknown): void;
}

const KEYS_PER_SEND = sizeOf(APPEND_SEND_KEYS);
const FIELDS_PER_SEND = sizeOf(APPEND_SEND_ARGV);
const BATCH_FIELDS = sizeOf(APPEND_ARGV);

/** What a batcher needs of the bus on a Redis Cluster (RedisBus). */
export type ShardedBus = Pick<RedisBus, 'sharded' | 'channel' | 'fanout' | 'fanoutMany'>;

/**
 * Gathers the sends of one event-loop turn (up to BATCH_MAX) into one APPEND call, with the room
 * index writes they need in the same round trip; a failed call goes to the settler.
 *
 * On a Redis Cluster a script may only touch one slot: the turn's sends are split by their room's
 * slot into one APPEND call each, sent with the room index writes in one pipeline per master, and
 * the 1:1 frames, which APPEND cannot publish there (the members' channels lie on other slots),
 * are published by this node (RedisBus.fanout) before the sends are answered.
 */
export class AppendBatcher {
  #queue: QueuedSend[] = [];

  constructor(
    private readonly redis: ScriptedRedis<typeof messageScripts>,
    /** This node's bus tag (APPEND's ARGV). */
    private readonly tag: string,
    /** The channel prefix of a user's topic: the script appends the member id. */
    private readonly userChannels: string,
    private readonly roomIndex: RoomIndex,
    private readonly settler: SendSettler,
    /** How long after a batch goes out its sends may still take effect (see APPEND's deadline). */
    private readonly budgetMs: () => number,
    private readonly bus: ShardedBus,
  ) {}

  enqueue(send: QueuedSend): void {
    this.#queue.push(send);
    if (this.#queue.length >= BATCH_MAX) this.#flush();
    else if (this.#queue.length === 1) setImmediate(this.#flush);
  }

  /** Sends the queued sends in one script call, with the room index writes they need in the same round trip. */
  readonly #flush = (): void => {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    let deadline = Date.now() + this.budgetMs();
    for (const send of batch)
      if (send.deadline !== undefined && send.deadline < deadline) deadline = send.deadline;
    if (this.bus.sharded) {
      this.#flushSharded(batch, deadline);
      return;
    }
    const args = this.#args(batch, deadline);
    const touches = batch.flatMap((send) => send.touches);
    const run = async (): Promise<unknown> => {
      if (touches.length === 0) return call(() => this.redis.ecAppend(...args));
      // The members' room indexes live on other cluster slots, so they cannot be inside the
      // script; they ride in the same pipeline (same round trip). A retry that turns out a
      // duplicate only re-asserts an expiry that listChats checks against the room anyway.
      const pipeline = scriptedPipeline<typeof messageScripts>(this.redis);
      pipeline.ecAppend(...args);
      for (const t of touches) {
        pipeline.ecTouchUserRoom(t.key, ...argsOf(TOUCH_ARGV, t));
      }
      const replies = await call(() => pipeline.exec());
      const [[err, reply] = [new Error('pipeline aborted'), null], ...rest] = replies ?? [];
      if (err) throw err;
      // A failed index write must not fail a stored send: it is left unremembered, so the
      // next send to the room writes it again.
      for (const [i, t] of touches.entries()) {
        if (!rest[i]?.[0]) this.roomIndex.remember(t);
      }
      return reply;
    };
    run().then(
      (reply) => {
        // {duplicate, message JSON} per send, flattened.
        const flat = reply as (number | string)[];
        for (const [i, send] of batch.entries()) {
          send.resolve([flat[2 * i] as number, flat[2 * i + 1] as string]);
        }
      },
      (err: unknown) => void this.#settle(batch, err),
    );
  };

  /**
   * A turn's sends on a Cluster: one APPEND call per slot, and one pipeline per master holding its
   * slots' APPEND calls and the room index writes it serves, so a turn still costs one round trip
   * per master. Each slot's call stands or fails alone (a failed one goes to the settler); the
   * sends are answered once every pipeline has answered and their frames are published.
   */
  #flushSharded(batch: QueuedSend[], deadline: number): void {
    const redis = this.redis;
    const nodeOf = (key: string): string =>
      isCluster(redis) ? (redis.slots[keySlot(key)]?.[0] ?? '') : '';
    const perNode = new Map<string, { slots: QueuedSend[][]; touches: RoomIndexWrite[] }>();
    const at = (key: string) => {
      const node = nodeOf(key);
      let plan = perNode.get(node);
      if (!plan) {
        plan = { slots: [], touches: [] };
        perNode.set(node, plan);
      }
      return plan;
    };
    for (const slot of groupBySlot(batch, (send) => send.seqKey)) {
      at((slot[0] as QueuedSend).seqKey).slots.push(slot);
    }
    for (const send of batch) for (const t of send.touches) at(t.key).touches.push(t);
    const stored: { slot: QueuedSend[]; flat: (number | string)[] }[] = [];
    const failed: { slot: QueuedSend[]; err: unknown }[] = [];
    const runs = [...perNode.values()].map(async (plan) => {
      const pipeline = scriptedPipeline<typeof messageScripts>(redis);
      for (const slot of plan.slots) pipeline.ecAppend(...this.#args(slot, deadline));
      for (const t of plan.touches) pipeline.ecTouchUserRoom(t.key, ...argsOf(TOUCH_ARGV, t));
      let replies: [Error | null, unknown][];
      try {
        replies = (await call(() => pipeline.exec())) ?? [];
      } catch (err) {
        for (const slot of plan.slots) failed.push({ slot, err });
        return;
      }
      plan.slots.forEach((slot, i) => {
        const [err, reply] = replies[i] ?? [new Error('pipeline aborted'), null];
        if (err) failed.push({ slot, err });
        else stored.push({ slot, flat: reply as (number | string)[] });
      });
      // A failed index write is not remembered: the next send to the room writes it again.
      plan.touches.forEach((t, i) => {
        if (replies[plan.slots.length + i]?.[0] === null) this.roomIndex.remember(t);
      });
    });
    void Promise.all(runs)
      .then(async () => {
        for (const { slot, err } of failed) void this.#settle(slot, err);
        await this.#fanout(stored);
        for (const { slot, flat } of stored) {
          for (const [i, send] of slot.entries()) {
            send.resolve([flat[2 * i] as number, flat[2 * i + 1] as string]);
          }
        }
      })
      .catch((err: unknown) => {
        // Not expected (every step above catches its own); never leave a sender waiting.
        for (const { slot } of stored) for (const send of slot) send.reject(err);
      });
  }

  /** Cluster: publishes the stored 1:1 sends' frames to the members' channels (APPEND could not). */
  async #fanout(
    stored: readonly { slot: readonly QueuedSend[]; flat: (number | string)[] }[],
  ): Promise<void> {
    const frames: FanoutItem[] = [];
    for (const { slot, flat } of stored) {
      for (const [i, send] of slot.entries()) {
        if (flat[2 * i] !== 0 || send.chan !== '') continue;
        const payload = encodeMessageEvent(flat[2 * i + 1] as string);
        const from = this.bus.channel(userTopic(send.from));
        frames.push({ channel: from, mine: send.mine & 1, payload });
        if (send.to !== send.from) {
          const to = this.bus.channel(userTopic(send.to));
          frames.push({ channel: to, mine: (send.mine >> 1) & 1, payload });
        }
      }
    }
    // One pipeline per master for the whole turn's frames.
    await this.bus.fanoutMany(frames);
  }

  /**
   * APPEND's numkeys, KEYS and ARGV, each value written at its layout position (this runs for
   * every send, so there is no intermediate object or array per send).
   */
  #args(batch: readonly QueuedSend[], deadline: number): (string | number)[] {
    const n = batch.length;
    const keysEnd = 1 + n * KEYS_PER_SEND;
    const args = new Array<string | number>(keysEnd + BATCH_FIELDS + n * FIELDS_PER_SEND);
    args[0] = n * KEYS_PER_SEND;
    const K = APPEND_SEND_KEYS;
    const A = APPEND_SEND_ARGV;
    args[keysEnd + APPEND_ARGV.tag - 1] = this.tag;
    args[keysEnd + APPEND_ARGV.deadline - 1] = deadline;
    args[keysEnd + APPEND_ARGV.users - 1] = this.bus.sharded ? '' : this.userChannels;
    args[keysEnd + APPEND_ARGV.pub - 1] = this.bus.sharded ? 'SPUBLISH' : 'PUBLISH';
    for (let i = 0; i < n; i++) {
      const send = batch[i] as QueuedSend;
      const t = send.target;
      t.deadline = deadline;
      const k = i * KEYS_PER_SEND; // KEYS[k + 1] is args[k + 1]
      args[k + K.seq] = send.seqKey;
      args[k + K.idx] = t.idx;
      args[k + K.exp] = t.exp;
      args[k + K.message] = t.key;
      args[k + K.read] = send.readKey;
      args[k + K.burns] = send.burnsKey;
      const a = keysEnd + BATCH_FIELDS + i * FIELDS_PER_SEND - 1; // ARGV field f is args[a + f]
      args[a + A.now] = send.now;
      args[a + A.ttl] = send.ttl;
      args[a + A.head] = t.head;
      args[a + A.tail] = t.tail;
      args[a + A.id] = t.id;
      args[a + A.from] = send.from;
      args[a + A.to] = send.to;
      args[a + A.mine] = send.mine;
      args[a + A.burn] = send.burn;
      args[a + A.chan] = send.chan;
    }
    return args;
  }

  /**
   * Answers a batch whose script call failed. Never sent (no connection): failed. Otherwise
   * Redis may have stored some (only the reply was lost, or the script failed part-way: Redis
   * out of memory, say): the settler finds out, and those it finds are acked as usual.
   */
  async #settle(batch: QueuedSend[], err: unknown): Promise<void> {
    let cause = err;
    while (cause instanceof UnavailableError && cause.cause !== undefined) cause = cause.cause;
    // Refused before it was written (no connection; on a Cluster, no slot map yet).
    const unsent =
      cause instanceof Error &&
      (cause.message.startsWith("Stream isn't writeable") ||
        cause.message.startsWith("Cluster isn't ready"));
    const verdicts = unsent
      ? []
      : await this.settler
          .settle(
            batch.map((send) => send.target),
            cause instanceof ReplyError,
          )
          .catch(() => []);
    for (const [i, send] of batch.entries()) {
      const verdict = verdicts[i];
      if (verdict) send.resolve([verdict.duplicate ? 1 : 0, verdict.json]);
      else send.reject(err instanceof UnavailableError ? err : new UnavailableError('engine', err));
    }
  }
}
