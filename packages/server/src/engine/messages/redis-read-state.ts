import { argsOf } from '../redis/lua-layout.js';
import { call, execPipeline } from '../redis/redis-call.js';
import { roomKeys } from '../redis/redis-keys.js';
import { type ScriptedRedis, scriptedPipeline } from '../redis/redis-scripts.js';
import type { messageScripts } from './message-scripts.js';
import type { MarkResult, ReadState } from './message-store.js';
import { MARK_ARGV, MARK_KEYS, STATE_ARGV, STATE_KEYS } from './read-state-scripts.js';

type Scripted = ScriptedRedis<typeof messageScripts>;

/** Read state in Redis: one script per mark, one pipelined script per room for the counts. */
export async function markRead(
  redis: Scripted,
  prefix: string,
  room: string,
  member: string,
  seq: number,
): Promise<MarkResult> {
  const keys = roomKeys(prefix, room);
  const reply = await call(() =>
    redis.ecMarkRead(
      ...argsOf(MARK_KEYS, { idx: keys.idx, seq: keys.seq, read: keys.read }),
      ...argsOf(MARK_ARGV, { member, seq }),
    ),
  );
  const [after, moved] = reply as [number, number];
  return { seq: after, moved: moved === 1 };
}

export async function readStates(
  redis: Scripted,
  prefix: string,
  member: string,
  rooms: readonly { room: string; peer: string }[],
  now: number,
): Promise<ReadState[]> {
  if (rooms.length === 0) return [];
  // Rooms sit on different slots: one script each, all in one round trip.
  const pipeline = scriptedPipeline<typeof messageScripts>(redis);
  for (const { room, peer } of rooms) {
    const keys = roomKeys(prefix, room);
    pipeline.ecReadState(
      ...argsOf(STATE_KEYS, { idx: keys.idx, exp: keys.exp, read: keys.read }),
      ...argsOf(STATE_ARGV, { now, member, peer }),
    );
  }
  return (await execPipeline(pipeline)).map((reply) => {
    const [readSeq, peerReadSeq, unread] = reply as [number, number, number];
    return { readSeq, peerReadSeq, unread };
  });
}
