import { type ChatSettings, encodeMessageEvent, type Message } from '@ephemeral-chat/protocol';
import { messageTopics, roomTopic, userTopic } from '../../delivery/topics.js';
import { UnavailableError } from '../../errors/app-error.js';
import type { Logger } from '../../logger.js';
import type { RedisBus } from '../bus/redis-bus.js';
import { commandTimeoutOf, type RedisClient } from '../redis/redis-client-type.js';
import { roomKeys } from '../redis/redis-keys.js';
import { defineScripts, type ScriptedRedis } from '../redis/redis-scripts.js';
import { AppendBatcher, type QueuedSend } from './append-batcher.js';
import { MarkBatcher, type MarkReply } from './mark-batcher.js';
import { messageScripts } from './message-scripts.js';
import type {
  AppendInput,
  AppendResult,
  Burn,
  MarkResult,
  MessageStore,
  PurgeResult,
  ReadMark,
  ReadState,
  SettingsPatch,
  SettingsResult,
  UnsendResult,
} from './message-store.js';
import { joinGroup, markGroupRead, readSeqs } from './redis-group-reads.js';
import { purgeRedis } from './redis-purge.js';
import { getSettings, readStates, setSettings } from './redis-read-state.js';
import { parse, RedisReads } from './redis-reads.js';
import { unsend } from './redis-unsend.js';
import { RoomIndex } from './room-index.js';
import { SendSettler, type SendTarget } from './send-settler.js';

/** How an `expiry` event's JSON starts (MARKS builds it: read-state-scripts.ts). */
const EXPIRY_EVENT = '{"type":"expiry"';

/** The send budget when the connection has no command timeout (tests; production always sets one). */
const DEFAULT_SEND_BUDGET_MS = 5_000;

/**
 * Messages in Redis: one Lua script per read (redis-reads.ts), and one per turn for the sends
 * (append-batcher.ts): every send of an event-loop turn goes in one script call.
 */
export class RedisMessageStore extends RedisReads implements MessageStore {
  readonly #settler: SendSettler;
  readonly #batcher: AppendBatcher;
  readonly #marks: MarkBatcher;
  readonly #roomIndex: RoomIndex;
  readonly #scripted: ScriptedRedis<typeof messageScripts>;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly bus: RedisBus,
    logger: Pick<Logger, 'warn'>,
  ) {
    const scripted = defineScripts(redis, messageScripts);
    super(scripted, prefix);
    this.#scripted = scripted;
    this.#roomIndex = new RoomIndex(redis, prefix);
    // Settling keeps the sender waiting: the call's timeout, then at most this budget plus one
    // more look's timeout (3 s past the first timeout at the default 1 s), inside a client's 5 s.
    const timeout = commandTimeoutOf(redis) ?? DEFAULT_SEND_BUDGET_MS;
    this.#settler = new SendSettler(redis, logger, { budgetMs: 2 * timeout, retryMs: 150 });
    this.#batcher = new AppendBatcher(
      scripted,
      bus.tag,
      bus.channel(userTopic('')),
      this.#roomIndex,
      this.#settler,
      () => this.#sendBudget(),
      bus,
    );
    this.#marks = new MarkBatcher(scripted, bus, () => this.#sendBudget());
  }

  async append(input: AppendInput): Promise<AppendResult> {
    const { room, now, ttl } = input;
    const keys = roomKeys(this.prefix, room);
    const expiresAt = now + ttl;
    // Same key order as JSON.stringify of a Message; the script splices the seq in between.
    const head = `{"room":${JSON.stringify(room)},"seq":`;
    // `burn` (when set) just before `expiresAt`, which stays last (delivery/live-expiry.ts).
    const rest = JSON.stringify({
      from: input.from,
      text: input.text,
      clientMsgId: input.clientMsgId,
      createdAt: now,
      ttl,
      mac: input.mac,
      burn: input.burn,
      expiresAt,
    });
    const target: SendTarget = {
      key: keys.message(input.from, input.clientMsgId),
      idx: keys.idx,
      exp: keys.exp,
      id: keys.id(input.from, input.clientMsgId),
      head,
      tail: `,${rest.slice(1)}`,
      deadline: 0, // set when its batch goes out
    };
    if (input.group) {
      // Published once on the room's channel by the script, to every node this one included.
      const reply = await this.#enqueue({
        target,
        seqKey: keys.seq,
        readKey: keys.read,
        burnsKey: keys.groupBurns,
        now,
        ttl,
        burn: input.burn ?? 0,
        from: input.from,
        to: '',
        mine: 0,
        chan: this.bus.channel(roomTopic(room)),
        deadline: input.deadline,
        touches: [],
        resolve: unset,
        reject: unset,
      });
      return this.#settled(reply, target.key);
    }
    const [first, second] = input.members;
    const to = first === input.from ? second : first;
    const fanout = this.bus.lease(messageTopics([input.from, to]));
    let reply: [number, string];
    try {
      reply = await this.#enqueue({
        target,
        seqKey: keys.seq,
        readKey: keys.read,
        burnsKey: keys.burns(to),
        now,
        ttl,
        burn: input.burn ?? 0,
        from: input.from,
        to,
        mine: (fanout.mine[0] ?? 0) | ((fanout.mine[1] ?? 0) << 1),
        chan: '',
        deadline: input.deadline,
        touches: this.#roomIndex.writes(input.members, to, room, expiresAt, now),
        resolve: unset,
        reject: unset,
      });
    } finally {
      fanout.release();
    }
    const result = this.#settled(reply, target.key);
    if (!result.duplicate) {
      const frame = encodeMessageEvent(result.json);
      const [first, second] = fanout.channels;
      if (first !== undefined) this.bus.deliverLocally(first, frame);
      if (second !== undefined && second !== first) this.bus.deliverLocally(second, frame);
    }
    return result;
  }

  /** Queues a send (its `resolve`/`reject` placeholders are replaced here: no copy per send). */
  #enqueue(send: QueuedSend): Promise<[number, string]> {
    return new Promise<[number, string]>((resolve, reject) => {
      send.resolve = resolve;
      send.reject = reject;
      this.#batcher.enqueue(send);
    });
  }

  /** The script's answer to one send, as the caller's result (or the error it must see). */
  #settled(reply: [number, string], key: string): AppendResult {
    const [duplicate, json] = reply;
    // Ran past its deadline and did nothing: the caller's timeout has (or is about to) answer
    // the same; this covers a node/Redis clock offset bigger than the budget's margin.
    if (duplicate === 2) throw new UnavailableError('engine', new Error('send past its deadline'));
    // A retry acked with a copy this node had answered unavailable: the copy now stands, unless
    // its undo is already on its way to Redis (then this answer must be unavailable too).
    if (
      duplicate === 1 &&
      this.#settler.doubtful.size > 0 &&
      !this.#settler.doubtful.confirm(key)
    ) {
      throw new UnavailableError('engine', new Error('send being undone'));
    }
    // (A settled copy that expired meanwhile is dropped by the listener: see delivery/live-expiry.ts.)
    return appendResult(json, duplicate === 1);
  }

  async markRead(
    room: string,
    member: string,
    peer: string,
    seq: number,
    now: number,
  ): Promise<ReadMark> {
    const reply = await this.#mark('r', room, member, peer, seq, now);
    const burned: Burn[] = [];
    for (const { json } of reply.events) {
      if (!json.startsWith(EXPIRY_EVENT)) continue;
      const { seq: s, expiresAt } = JSON.parse(json) as Burn;
      burned.push({ seq: s, expiresAt });
    }
    const { moved, burnMore, unseenCleared } = reply;
    return { seq: reply.seq, moved, burned, burnMore, unseenCleared };
  }

  async markDelivered(
    room: string,
    member: string,
    peer: string,
    seq: number,
  ): Promise<MarkResult> {
    const { seq: after, moved } = await this.#mark('d', room, member, peer, seq, Date.now());
    return { seq: after, moved };
  }

  #mark(kind: 'r' | 'd', room: string, member: string, peer: string, seq: number, now: number) {
    const keys = roomKeys(this.prefix, room);
    return new Promise<MarkReply>((resolve, reject) => {
      this.#marks.enqueue({ kind, room, member, peer, seq, now, keys, resolve, reject });
    });
  }

  unsend(
    room: string,
    from: string,
    peer: string,
    seq: number,
    now: number,
  ): Promise<UnsendResult> {
    const deadline = Date.now() + this.#sendBudget();
    return unsend(this.#scripted, this.bus, this.prefix, { room, from, peer, seq, now, deadline });
  }

  unsendInGroup(room: string, from: string, seq: number, now: number): Promise<UnsendResult> {
    const deadline = Date.now() + this.#sendBudget();
    return unsend(this.#scripted, this.bus, this.prefix, {
      room,
      from,
      peer: undefined,
      seq,
      now,
      deadline,
    });
  }

  markGroupRead(
    room: string,
    member: string,
    members: readonly string[],
    seq: number,
    now: number,
  ): Promise<ReadMark> {
    const deadline = Date.now() + this.#sendBudget();
    return markGroupRead(this.#scripted, this.bus, this.prefix, {
      room,
      member,
      members,
      seq,
      now,
      deadline,
    });
  }

  joinGroup(room: string, members: readonly string[], _now: number): Promise<void> {
    return joinGroup(this.#scripted, this.prefix, room, members);
  }

  readSeqs(room: string, members: readonly string[]): Promise<number[]> {
    return readSeqs(this.#scripted, this.prefix, room, members);
  }

  settings(room: string, _now: number): Promise<ChatSettings> {
    // Redis expires the key itself (SETTINGS_KEEP_MS after the last change).
    return getSettings(this.#scripted, this.prefix, room);
  }

  setSettings(room: string, patch: SettingsPatch, _now: number): Promise<SettingsResult> {
    return setSettings(this.#scripted, this.prefix, room, patch);
  }

  readStates(
    member: string,
    rooms: readonly { room: string; peer: string }[],
    now: number,
  ): Promise<ReadState[]> {
    return readStates(this.#scripted, this.prefix, member, rooms, now);
  }

  /**
   * How long after it is queued a send may still take effect: the command timeout, less a margin for the
   * reply's way back (a reply that is on its way when the timeout fires would otherwise report a
   * stored send as failed). The margin is a quarter of the timeout, at most 250 ms.
   */
  #sendBudget(): number {
    const timeout = commandTimeoutOf(this.redis) ?? DEFAULT_SEND_BUDGET_MS;
    return timeout - Math.min(Math.floor(timeout / 4), 250);
  }

  /** Account deletion (redis-purge.ts). */
  purgeUser(userId: string, groupRooms: readonly string[], now: number): Promise<PurgeResult> {
    const unsendInGroup = this.unsendInGroup.bind(this);
    const deps = { redis: this.redis, bus: this.bus, prefix: this.prefix, unsendInGroup };
    return purgeRedis(deps, userId, groupRooms, now);
  }
}

/** A queued send's resolve/reject until #enqueue sets them. */
const unset = (): void => {};

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
