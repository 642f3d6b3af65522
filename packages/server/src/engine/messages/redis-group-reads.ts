import { roomTopic, userTopic } from '../../delivery/topics.js';
import { UnavailableError } from '../../errors/app-error.js';
import { NO_ORIGIN, type RedisBus } from '../bus/redis-bus.js';
import { argsOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import { roomKeys } from '../redis/redis-keys.js';
import type { ScriptedRedis } from '../redis/redis-scripts.js';
import { GROUP_JOIN_KEYS, GROUP_READ_ARGV, GROUP_READ_KEYS } from './group-scripts.js';
import type { messageScripts } from './message-scripts.js';
import type { Burn, ReadMark } from './message-store.js';
import { BURNS_PER_MARK } from './retention.js';

type Scripted = ScriptedRedis<typeof messageScripts>;

export interface GroupReadCall {
  room: string;
  member: string;
  members: readonly string[];
  seq: number;
  now: number;
  /** Epoch ms past which (Redis' clock) the script does nothing. */
  deadline: number;
}

/**
 * One GROUP_READ call (group reads are not batched: a group's read fans out to every member, so
 * its cost is the publish, not the round trip). The script publishes the events to every node,
 * this one included.
 */
export async function markGroupRead(
  redis: Scripted,
  bus: RedisBus,
  prefix: string,
  r: GroupReadCall,
): Promise<ReadMark> {
  const keys = roomKeys(prefix, r.room);
  const reply = (await call(() =>
    redis.ecGroupRead(
      ...argsOf(GROUP_READ_KEYS, {
        idx: keys.idx,
        exp: keys.exp,
        seq: keys.seq,
        read: keys.read,
        burns: keys.groupBurns,
      }),
      ...argsOf(GROUP_READ_ARGV, {
        chan: bus.channel(roomTopic(r.room)),
        // A Cluster: every event goes on the room's channel (users' channels are on other slots).
        users: bus.sharded ? '' : bus.channel(userTopic('')),
        deadline: r.deadline,
        room: r.room,
        member: r.member,
        seq: r.seq,
        now: r.now,
        max: BURNS_PER_MARK,
        pub: bus.sharded ? 'SPUBLISH' : 'PUBLISH',
      }),
      ...r.members,
    ),
  )) as [number, number?, number?, ...(string | string[])[]];
  const [seq, moved, more, ...rest] = reply;
  if (seq === -1) throw new UnavailableError('engine', new Error('read past its deadline'));
  const events: string[] = [];
  const told: Promise<void>[] = [];
  for (const [i, entry] of rest.entries()) {
    if (typeof entry === 'string') events.push(entry);
    else {
      // A Cluster's narrow read: to the reader and the senders, every node (this one too) from Redis.
      const event = rest[i - 1] as string;
      for (const id of entry)
        told.push(bus.fanout(bus.channel(userTopic(id)), 0, event, NO_ORIGIN));
    }
  }
  await Promise.all(told);
  const burned: Burn[] = [];
  for (const event of events) {
    if (!event.startsWith('{"type":"expiry"')) continue;
    const { seq: s, expiresAt } = JSON.parse(event) as Burn;
    burned.push({ seq: s, expiresAt });
  }
  return { seq, moved: moved === 1, burned, burnMore: more === 1, unseenCleared: 0 };
}

/** New members' read seqs move to the room's latest (GROUP_JOIN). */
export async function joinGroup(
  redis: Scripted,
  prefix: string,
  room: string,
  members: readonly string[],
): Promise<void> {
  if (members.length === 0) return;
  const keys = roomKeys(prefix, room);
  await call(() =>
    redis.ecGroupJoin(
      ...argsOf(GROUP_JOIN_KEYS, { idx: keys.idx, seq: keys.seq, read: keys.read }),
      ...members,
    ),
  );
}

/** Each member's read seq (0 when none), in order. */
export async function readSeqs(
  redis: Scripted,
  prefix: string,
  room: string,
  members: readonly string[],
): Promise<number[]> {
  if (members.length === 0) return [];
  const seqs = await call(() => redis.hmget(roomKeys(prefix, room).read, ...members));
  return seqs.map((s) => Number(s ?? 0));
}
