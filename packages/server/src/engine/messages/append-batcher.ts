import { ReplyError } from 'ioredis';
import { UnavailableError } from '../../errors/app-error.js';
import { argsOf, sizeOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import { type ScriptedRedis, scriptedPipeline } from '../redis/redis-scripts.js';
import { APPEND_ARGV, APPEND_SEND_KEYS, TOUCH_ARGV } from './append-scripts.js';
import type { messageScripts } from './message-scripts.js';
import type { RoomIndex, RoomIndexWrite } from './room-index.js';
import type { SendSettler, SendTarget } from './send-settler.js';

/** At most this many sends per script call: a bigger batch would hold Redis longer than a send should wait. */
const BATCH_MAX = 64;

/** A send waiting for this turn's script call. */
export interface QueuedSend {
  target: SendTarget;
  /** Its APPEND_SEND_KEYS and APPEND_SEND_ARGV, in layout order. */
  keys: (string | number)[];
  fields: (string | number)[];
  touches: RoomIndexWrite[];
  resolve(reply: [number, string]): void;
  reject(err: unknown): void;
}

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
    private readonly roomIndex: RoomIndex,
    private readonly settler: SendSettler,
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
    const args: (string | number)[] = [batch.length * sizeOf(APPEND_SEND_KEYS)];
    for (const send of batch) args.push(...send.keys);
    args.push(...argsOf(APPEND_ARGV, { tag: this.tag }));
    for (const send of batch) args.push(...send.fields);
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
