import { encodeMessageEvent, type Message } from '@ephemeral-chat/protocol';
import { ReplyError } from 'ioredis';
import { messageTopics } from '../../delivery/topics.js';
import { UnavailableError } from '../../errors/app-error.js';
import type { Logger } from '../../logger.js';
import type { AppendInput, AppendResult, MessagePage } from '../engine.js';
import { call, execPipeline } from './redis-call.js';
import { roomKeys, userRoomsKey } from './redis-keys.js';
import type { RedisPubSub } from './redis-pubsub.js';
import { type ScriptedRedis, scriptedPipeline } from './redis-scripts.js';
import { SendSettler, type SendTarget } from './send-settler.js';

/**
 * How much later than its newest message a room's entry in a member's room index may lapse: a
 * tenth of the message's TTL, at most a minute — the same slack the send script gives the room's
 * own keys. The index only lists candidates (listChats reads each room and drops the empty ones),
 * so a later score is harmless, and it lets a node skip rewriting the entry for every message of a
 * busy chat.
 */
const roomIndexSlack = (ttl: number) => Math.min(Math.floor(ttl / 10), 60_000);
/** At most this many (member, room) entries remembered per node. */
const ROOM_INDEX_CACHE_MAX = 50_000;

/** The send budget when the connection has no command timeout (tests; production always sets one). */
const DEFAULT_SEND_BUDGET_MS = 5_000;

/** At most this many sends per script call: a bigger batch would hold Redis longer than a send should wait. */
const BATCH_MAX = 64;

interface RoomIndexWrite {
  key: string;
  room: string;
  cacheKey: string;
  score: number;
  ttl: number;
  now: number;
}

/** A send waiting for this turn's script call. */
interface QueuedSend {
  target: SendTarget;
  keys: string[];
  fields: (string | number)[];
  touches: RoomIndexWrite[];
  resolve(reply: [number, string]): void;
  reject(err: unknown): void;
}

/**
 * Messages in Redis: one Lua script per read, and one per turn for the sends (see
 * message-scripts.ts): every send of an event-loop turn goes in one script call, up to BATCH_MAX.
 */
export class RedisMessages {
  /** `member room` → the score this node last wrote into the member's room index. */
  readonly #indexed = new Map<string, number>();
  #queue: QueuedSend[] = [];
  readonly #settler: SendSettler;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly prefix: string,
    private readonly pubsub: RedisPubSub,
    logger: Pick<Logger, 'warn'>,
  ) {
    // After a lost connection Redis may have restarted empty: write every index entry again.
    redis.on('close', () => this.#indexed.clear());
    // Settling keeps the sender waiting: the call's timeout, then at most this budget plus one
    // more look's timeout (3 s past the first timeout at the default 1 s), inside a client's 5 s.
    const timeout = redis.options.commandTimeout ?? DEFAULT_SEND_BUDGET_MS;
    this.#settler = new SendSettler(redis, logger, { budgetMs: 2 * timeout, retryMs: 150 });
  }

  async append(input: AppendInput): Promise<AppendResult> {
    const { room, now, ttl } = input;
    const keys = roomKeys(this.prefix, room);
    const expiresAt = now + ttl;
    // Same key order as JSON.stringify of a Message; the script splices the seq in between.
    const head = `{"room":${JSON.stringify(room)},"seq":`;
    const rest = JSON.stringify({
      from: input.from,
      text: input.text,
      clientMsgId: input.clientMsgId,
      createdAt: now,
      ttl,
      expiresAt,
    });
    const target: SendTarget = {
      key: keys.message(input.from, input.clientMsgId),
      idx: keys.idx,
      exp: keys.exp,
      id: keys.id(input.from, input.clientMsgId),
      head,
      tail: `,${rest.slice(1)}`,
      // The real clock, not `now` (callers and tests may pass a clock of their own).
      deadline: input.deadline ?? Date.now() + this.#sendBudget(),
    };
    const fanout = this.pubsub.lease(messageTopics(input.members));
    let reply: [number, string];
    try {
      reply = await new Promise<[number, string]>((resolve, reject) => {
        this.#enqueue({
          target,
          keys: [keys.seq, keys.idx, keys.exp, target.key],
          fields: [
            now,
            ttl,
            expiresAt,
            head,
            target.tail,
            target.id,
            fanout.channels[0] ?? '',
            fanout.mine[0] ?? 0,
            fanout.channels[1] ?? '',
            fanout.mine[1] ?? 0,
            target.deadline,
          ],
          touches: this.#roomIndexWrites(input.members, room, expiresAt, now),
          resolve,
          reject,
        });
      });
    } finally {
      fanout.release();
    }
    const [duplicate, json] = reply;
    // Ran past its deadline and did nothing: the caller's timeout has (or is about to) answer
    // the same; this covers a node/Redis clock offset bigger than the budget's margin.
    if (duplicate === 2) throw new UnavailableError('engine', new Error('send past its deadline'));
    // A retry acked with a copy this node had answered unavailable: the copy now stands, unless
    // its undo is already on its way to Redis (then this answer must be unavailable too).
    if (
      duplicate === 1 &&
      this.#settler.doubtful.size > 0 &&
      !this.#settler.doubtful.confirm(target.key)
    ) {
      throw new UnavailableError('engine', new Error('send being undone'));
    }
    // (A settled copy that expired meanwhile is dropped by the listener: see ws/live-expiry.ts.)
    if (duplicate === 0) {
      const frame = encodeMessageEvent(json);
      for (const channel of new Set(fanout.channels)) this.pubsub.deliverLocally(channel, frame);
    }
    return appendResult(json, duplicate === 1);
  }

  /**
   * How long after it is queued a send may still take effect: the command timeout, less a margin for the
   * reply's way back (a reply that is on its way when the timeout fires would otherwise report a
   * stored send as failed). The margin is a quarter of the timeout, at most 250 ms.
   */
  #sendBudget(): number {
    const timeout = this.redis.options.commandTimeout ?? DEFAULT_SEND_BUDGET_MS;
    return timeout - Math.min(Math.floor(timeout / 4), 250);
  }

  #enqueue(send: QueuedSend): void {
    this.#queue.push(send);
    if (this.#queue.length >= BATCH_MAX) this.#flush();
    else if (this.#queue.length === 1) setImmediate(this.#flush);
  }

  /** Sends the queued sends in one script call, with the room index writes they need in the same round trip. */
  readonly #flush = (): void => {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    const args: (string | number)[] = [batch.length * 4];
    for (const send of batch) args.push(...send.keys);
    args.push(this.pubsub.tag);
    for (const send of batch) args.push(...send.fields);
    const touches = batch.flatMap((send) => send.touches);
    const run = async (): Promise<unknown> => {
      if (touches.length === 0) return call(() => this.redis.ecAppend(...args));
      // The members' room indexes live on other cluster slots, so they cannot be inside the
      // script; they ride in the same pipeline (same round trip). A retry that turns out a
      // duplicate only re-asserts an expiry that listChats checks against the room anyway.
      const pipeline = scriptedPipeline(this.redis);
      pipeline.ecAppend(...args);
      for (const t of touches) pipeline.ecTouchUserRoom(t.key, t.room, t.score, t.ttl);
      const replies = await call(() => pipeline.exec());
      const [[err, reply] = [new Error('pipeline aborted'), null], ...rest] = replies ?? [];
      if (err) throw err;
      // A failed index write must not fail a stored send: it is left unremembered, so the
      // next send to the room writes it again.
      for (const [i, t] of touches.entries()) {
        if (!rest[i]?.[0]) this.#remember(t.cacheKey, t.score, t.now);
      }
      return reply;
    };
    run().then(
      (reply) => {
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
      : await this.#settler
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

  /** The room index entries this send must raise: those this node has not already raised far enough. */
  #roomIndexWrites(members: readonly string[], room: string, expiresAt: number, now: number) {
    const writes: RoomIndexWrite[] = [];
    for (const member of new Set(members)) {
      const cacheKey = `${member} ${room}`;
      if ((this.#indexed.get(cacheKey) ?? 0) >= expiresAt) continue;
      const score = expiresAt + roomIndexSlack(expiresAt - now);
      const key = userRoomsKey(this.prefix, member);
      writes.push({ key, room, cacheKey, score, ttl: score - now, now });
    }
    return writes;
  }

  #remember(cacheKey: string, score: number, now: number): void {
    if (this.#indexed.size >= ROOM_INDEX_CACHE_MAX) {
      for (const [k, s] of this.#indexed) if (s <= now) this.#indexed.delete(k);
      if (this.#indexed.size >= ROOM_INDEX_CACHE_MAX) this.#indexed.clear();
    }
    this.#indexed.set(cacheKey, score);
  }

  async readAfter(
    room: string,
    after: number,
    limit: number,
    now: number,
    maxBytes?: number,
  ): Promise<MessagePage> {
    const keys = roomKeys(this.prefix, room);
    const reply = await call(() =>
      this.redis.ecReadAfter(keys.idx, keys.exp, keys.base, now, after, ...page(limit, maxBytes)),
    );
    const [more, messages] = reply as [number, string[]];
    return { messages: messages.map(parse), hasMore: more === 1 };
  }

  async readBefore(
    room: string,
    before: number | undefined,
    limit: number,
    now: number,
    maxBytes?: number,
  ): Promise<MessagePage> {
    const keys = roomKeys(this.prefix, room);
    const reply = await call(() =>
      this.redis.ecReadBefore(
        keys.idx,
        keys.exp,
        keys.base,
        now,
        before ?? '',
        ...page(limit, maxBytes),
      ),
    );
    const [more, newestFirst] = reply as [number, string[]];
    return { messages: newestFirst.reverse().map(parse), hasMore: more === 1 };
  }

  async listChats(userId: string, limit: number, now: number): Promise<Message[]> {
    const key = userRoomsKey(this.prefix, userId);
    const [, rooms] = (await execPipeline(
      this.redis.pipeline().zremrangebyscore(key, '-inf', now).zrange(key, 0, '-1'),
    )) as [number, string[]];
    if (rooms.length === 0) return [];
    // Each room's newest live message, all in one round trip (rooms sit on different slots).
    const pipeline = scriptedPipeline(this.redis);
    for (const room of rooms) {
      const keys = roomKeys(this.prefix, room);
      pipeline.ecReadBefore(keys.idx, keys.exp, keys.base, now, '', 1);
    }
    const lasts: Message[] = [];
    for (const reply of await execPipeline(pipeline)) {
      const json = (reply as [number, string[]])[1][0];
      if (json !== undefined) lasts.push(parse(json));
    }
    lasts.sort((x, y) => y.createdAt - x.createdAt || y.seq - x.seq);
    return lasts.slice(0, Math.max(limit, 0));
  }
}

/** The result with `message` parsed on first use: the gateway forwards `json` and never needs it. */
function appendResult(json: string, duplicate: boolean): AppendResult {
  let message: Message | undefined;
  return {
    json,
    duplicate,
    get message() {
      message ??= parse(json);
      return message;
    },
  };
}

/** The scripts' limit and byte cap arguments (no cap: the argument is left out). */
function page(limit: number, maxBytes: number | undefined): number[] {
  const count = Math.max(limit, 0);
  return maxBytes === undefined || !Number.isFinite(maxBytes) ? [count] : [count, maxBytes];
}

function parse(json: string): Message {
  return JSON.parse(json) as Message;
}
