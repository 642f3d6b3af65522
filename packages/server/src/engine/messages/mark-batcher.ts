import { userTopic } from '../../delivery/topics.js';
import { UnavailableError } from '../../errors/app-error.js';
import type { FanoutLease, RedisBus } from '../bus/redis-bus.js';
import { sizeOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import type { roomKeys } from '../redis/redis-keys.js';
import type { ScriptedRedis } from '../redis/redis-scripts.js';
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
    const args = this.#args(batch, Date.now() + this.budgetMs());
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

  #args(batch: readonly Leased[], deadline: number): (string | number)[] {
    const n = batch.length;
    const keysEnd = 1 + n * KEYS_PER_MARK;
    const args = new Array<string | number>(keysEnd + BATCH_FIELDS + n * FIELDS_PER_MARK);
    args[0] = n * KEYS_PER_MARK;
    args[keysEnd + MARKS_ARGV.tag - 1] = this.bus.tag;
    args[keysEnd + MARKS_ARGV.users - 1] = this.bus.channel(userTopic(''));
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
