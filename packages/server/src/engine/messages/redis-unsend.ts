import { roomTopic, userTopic } from '../../delivery/topics.js';
import { UnavailableError } from '../../errors/app-error.js';
import type { RedisBus } from '../bus/redis-bus.js';
import { argsOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import { roomKeys } from '../redis/redis-keys.js';
import type { ScriptedRedis } from '../redis/redis-scripts.js';
import type { messageScripts } from './message-scripts.js';
import type { UnsendResult } from './message-store.js';
import { UNSEND_ARGV, UNSEND_KEYS, UNSEND_REPLY } from './unsend-script.js';

export interface UnsendCall {
  room: string;
  from: string;
  /** The other member of a 1:1 room; undefined in a group room. */
  peer: string | undefined;
  seq: number;
  /** The caller's clock: what expired by it is not found. */
  now: number;
  /** Epoch ms past which (Redis' clock) the script does nothing. */
  deadline: number;
}

/**
 * One UNSEND call (not batched: unsends are rare). The script publishes the `unsent` event to the
 * channels other nodes subscribe to; this node's own sockets get it from here (as MARKS).
 */
export async function unsend(
  redis: ScriptedRedis<typeof messageScripts>,
  bus: RedisBus,
  prefix: string,
  u: UnsendCall,
): Promise<UnsendResult> {
  const keys = roomKeys(prefix, u.room);
  const group = u.peer === undefined;
  // Pinned until the reply: the script's NUMSUB check counts this node's subscriptions as its own.
  // (A group's event goes to every node through Redis, this one included: no lease.)
  const lease = bus.lease(group ? [] : [userTopic(u.from), userTopic(u.peer ?? '')]);
  try {
    const reply = (await call(() =>
      redis.ecUnsend(
        ...argsOf(UNSEND_KEYS, {
          idx: keys.idx,
          exp: keys.exp,
          read: keys.read,
          burns: group ? keys.groupBurns : keys.burns(u.peer ?? ''),
        }),
        ...argsOf(UNSEND_ARGV, {
          tag: bus.tag,
          // A Cluster: a 1:1 room's event goes out from here (the channels are on other slots).
          users: group
            ? bus.channel(roomTopic(u.room))
            : bus.sharded
              ? ''
              : bus.channel(userTopic('')),
          deadline: u.deadline,
          room: u.room,
          from: u.from,
          to: u.peer ?? '',
          seq: u.seq,
          mine: (lease.mine[0] ?? 0) + 2 * (lease.mine[1] ?? 0),
          now: u.now,
          pub: bus.sharded ? 'SPUBLISH' : 'PUBLISH',
        }),
      ),
    )) as [number, string?];
    const [outcome, event] = reply;
    if (outcome === UNSEND_REPLY.late) {
      throw new UnavailableError('engine', new Error('unsend past its deadline'));
    }
    if (outcome === UNSEND_REPLY.notSender) return 'not_sender';
    if (outcome !== UNSEND_REPLY.unsent || event === undefined) return 'not_found';
    if (bus.sharded && !group) {
      await Promise.all(
        lease.channels.map((channel, i) => bus.fanout(channel, lease.mine[i] ?? 0, event)),
      );
    }
    for (const channel of new Set(lease.channels)) bus.deliverLocally(channel, event);
    return 'unsent';
  } finally {
    lease.release();
  }
}
