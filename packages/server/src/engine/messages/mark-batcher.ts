import { userTopic } from '../../delivery/topics.js';
import { UnavailableError } from '../../errors/app-error.js';
import type { FanoutItem, FanoutLease, RedisBus } from '../bus/redis-bus.js';
import { groupBySlot, keySlot } from '../redis/key-slot.js';
import { sizeOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import { isCluster } from '../redis/redis-client-type.js';
import type { roomKeys } from '../redis/redis-keys.js';
import { type ScriptedRedis, scriptedPipeline } from '../redis/redis-scripts.js';
import type { messageScripts } from './message-scripts.js';
import { EVENT_TO, MARK_ARGV, MARK_KEYS, MARKS_ARGV } from './read-state-scripts.js';
import { BURNS_PER_MARK } from './retention.js';

/** At most this many marks per script call (as for sends). */
const BATCH_MAX = 64;
const KEYS_PER_MARK = sizeOf(MARK_KEYS);
const FIELDS_PER_MARK = sizeOf(MARK_ARGV);
const BATCH_FIELDS = sizeOf(MARKS_ARGV);

/** What a mark did (see MARKS). */
export interface MarkReply {
  seq: number;
  moved: boolean;
  unseenCleared: number;
  burnMore: boolean;
  /** Its events as published: where each went (EVENT_TO) and the JSON. */
  events: { to: number; json: string }[];
}

/** A read (`r`) or delivered (`d`) mark waiting for this turn's script call. */
export interface QueuedMark {
  kind: 'r' | 'd';
  room: string;
  member: string;
  peer: string;
  seq: number;
  /** The caller's clock (read marks prune and burn by it). */
  now: number;
  keys: ReturnType<typeof roomKeys>;
  resolve(reply: MarkReply): void;
  reject(err: unknown): void;
}

interface Leased extends QueuedMark {
  lease: FanoutLease;
}

/**
 * Gathers the read and delivered marks of one event-loop turn (up to BATCH_MAX) into one MARKS
 * call, whose script publishes their events to other nodes; this node's own sockets get them from
 * here. A mark whose call failed is answered unavailable, and by the deadline never takes effect.
 * On a Redis Cluster: one call per slot, and this node publishes the events (RedisBus.fanout),
 * as for sends (append-batcher.ts).
 */
export class MarkBatcher {
  #queue: Leased[] = [];

  constructor(
    private readonly redis: ScriptedRedis<typeof messageScripts>,
    private readonly bus: RedisBus,
    /** How long after a batch goes out its marks may still take effect. */
    private readonly budgetMs: () => number,
  ) {}

  enqueue(mark: QueuedMark): void {
    // Pinned until the reply: the script's NUMSUB check counts this node's subscriptions as its own.
    const lease = this.bus.lease([userTopic(mark.member), userTopic(mark.peer)]);
    this.#queue.push({ ...mark, lease });
    if (this.#queue.length >= BATCH_MAX) this.#flush();
    else if (this.#queue.length === 1) setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    const deadline = Date.now() + this.budgetMs();
    if (this.bus.sharded) {
      this.#flushSharded(batch, deadline);
      return;
    }
    const args = this.#args(batch, deadline);
    call(() => this.redis.ecMarks(...args)).then(
      (reply) => {
        try {
          this.#answer(batch, reply as (number | string)[]);
        } catch (err) {
          this.#fail(batch, err);
        }
      },
      (err: unknown) => this.#fail(batch, err),
    );
  };

  /**
   * A turn's marks on a Cluster: one MARKS call per slot, one pipeline per master (one round trip
   * each); each slot's call stands or fails alone, and its events are published from here.
   */
  #flushSharded(batch: Leased[], deadline: number): void {
    const redis = this.redis;
    const perNode = new Map<string, Leased[][]>();
    for (const slot of groupBySlot(batch, (m) => m.keys.idx)) {
      const key = (slot[0] as Leased).keys.idx;
      const node = isCluster(redis) ? (redis.slots[keySlot(key)]?.[0] ?? '') : '';
      const slots = perNode.get(node);
      if (slots) slots.push(slot);
      else perNode.set(node, [slot]);
    }
    for (const slots of perNode.values()) {
      const pipeline = scriptedPipeline<typeof messageScripts>(redis);
      for (const slot of slots) pipeline.ecMarks(...this.#args(slot, deadline));
      call(() => pipeline.exec()).then(
        (replies) =>
          Promise.all(
            slots.map(async (slot, i) => {
              const [err, reply] = replies?.[i] ?? [new Error('pipeline aborted'), null];
              if (err) return this.#fail(slot, err);
              try {
                const flat = reply as (number | string)[];
                if (flat[0] !== -1) await this.#fanout(slot, flat);
                this.#answer(slot, flat);
              } catch (e) {
                this.#fail(slot, e);
              }
            }),
          ),
        (err: unknown) => {
          for (const slot of slots) this.#fail(slot, err);
        },
      );
    }
  }

  /** Cluster: publishes each mark's events to the members' channels (MARKS returns them unpublished). */
  async #fanout(batch: readonly Leased[], flat: (number | string)[]): Promise<void> {
    const frames: FanoutItem[] = [];
    let at = 0;
    for (const mark of batch) {
      const count = flat[at + 4] as number;
      at += 5;
      const [memberChannel = '', peerChannel = ''] = mark.lease.channels;
      const [mineMember = 0, minePeer = 0] = mark.lease.mine;
      for (let e = 0; e < count; e++, at += 2) {
        const to = flat[at] as number;
        const json = flat[at + 1] as string;
        if (to !== EVENT_TO.peer)
          frames.push({ channel: memberChannel, mine: mineMember, payload: json });
        if (to !== EVENT_TO.member)
          frames.push({ channel: peerChannel, mine: minePeer, payload: json });
      }
    }
    await this.bus.fanoutMany(frames);
  }

  #args(batch: readonly Leased[], deadline: number): (string | number)[] {
    const n = batch.length;
    const keysEnd = 1 + n * KEYS_PER_MARK;
    const args = new Array<string | number>(keysEnd + BATCH_FIELDS + n * FIELDS_PER_MARK);
    args[0] = n * KEYS_PER_MARK;
    args[keysEnd + MARKS_ARGV.tag - 1] = this.bus.tag;
    args[keysEnd + MARKS_ARGV.users - 1] = this.bus.sharded ? '' : this.bus.channel(userTopic(''));
    args[keysEnd + MARKS_ARGV.max - 1] = BURNS_PER_MARK;
    args[keysEnd + MARKS_ARGV.deadline - 1] = deadline;
    const K = MARK_KEYS;
    const A = MARK_ARGV;
    for (let i = 0; i < n; i++) {
      const mark = batch[i] as Leased;
      const k = i * KEYS_PER_MARK; // KEYS[k + 1] is args[k + 1]
      args[k + K.idx] = mark.keys.idx;
      args[k + K.exp] = mark.keys.exp;
      args[k + K.seq] = mark.keys.seq;
      args[k + K.read] = mark.keys.read;
      args[k + K.burns] = mark.keys.burns(mark.member);
      const a = keysEnd + BATCH_FIELDS + i * FIELDS_PER_MARK - 1; // ARGV field f is args[a + f]
      args[a + A.kind] = mark.kind;
      args[a + A.room] = mark.room;
      args[a + A.member] = mark.member;
      args[a + A.peer] = mark.peer;
      args[a + A.seq] = mark.seq;
      args[a + A.mine] = (mark.lease.mine[0] ?? 0) + 2 * (mark.lease.mine[1] ?? 0);
      args[a + A.now] = mark.now;
    }
    return args;
  }

  #answer(batch: readonly Leased[], flat: (number | string)[]): void {
    if (flat[0] === -1) {
      this.#fail(batch, new Error('marks past their deadline'));
      return;
    }
    let at = 0;
    for (const mark of batch) {
      const [seq, moved, unseenCleared, more, count] = flat.slice(at, at + 5) as number[];
      at += 5;
      const events: MarkReply['events'] = [];
      for (let e = 0; e < (count ?? 0); e++, at += 2) {
        events.push({ to: flat[at] as number, json: flat[at + 1] as string });
      }
      const [memberChannel, peerChannel] = mark.lease.channels;
      for (const { to, json } of events) {
        if (to !== EVENT_TO.peer && memberChannel) this.bus.deliverLocally(memberChannel, json);
        if (to !== EVENT_TO.member && peerChannel) this.bus.deliverLocally(peerChannel, json);
      }
      mark.lease.release();
      mark.resolve({
        seq: seq ?? 0,
        moved: moved === 1,
        unseenCleared: unseenCleared ?? 0,
        burnMore: more === 1,
        events,
      });
    }
  }

  #fail(batch: readonly Leased[], err: unknown): void {
    for (const mark of batch) {
      mark.lease.release();
      mark.reject(err instanceof UnavailableError ? err : new UnavailableError('engine', err));
    }
  }
}
