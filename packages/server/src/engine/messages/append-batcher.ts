import { ReplyError } from 'ioredis';
import { UnavailableError } from '../../errors/app-error.js';
import { argsOf, sizeOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
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

/**
 * Gathers the sends of one event-loop turn (up to BATCH_MAX) into one APPEND call, with the room
 * index writes they need in the same round trip; a failed call goes to the settler.
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
    args[keysEnd + APPEND_ARGV.users - 1] = this.userChannels;
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
    const unsent = cause instanceof Error && cause.message.startsWith("Stream isn't writeable");
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
