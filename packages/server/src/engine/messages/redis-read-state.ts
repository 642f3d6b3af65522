import type { ChatSettings } from '@ephemeral-chat/protocol';
import { argsOf } from '../redis/lua-layout.js';
import { call } from '../redis/redis-call.js';
import { roomKeys } from '../redis/redis-keys.js';
import type { ScriptedPipeline, ScriptedRedis } from '../redis/redis-scripts.js';
import { execAcrossSlots } from '../redis/slot-pipelines.js';
import type { messageScripts } from './message-scripts.js';
import type { ReadState, SettingsPatch, SettingsResult } from './message-store.js';
import { STATE_ARGV, STATE_KEYS } from './read-state-scripts.js';
import { SETTINGS_ARGV } from './settings-scripts.js';

type Scripted = ScriptedRedis<typeof messageScripts>;

/** Read state in Redis: the counts, one pipelined script per room (marks: mark-batcher.ts). */
export async function readStates(
  redis: Scripted,
  prefix: string,
  member: string,
  rooms: readonly { room: string; peer: string }[],
  now: number,
): Promise<ReadState[]> {
  if (rooms.length === 0) return [];
  // Rooms sit on different slots: one script each, all in one round trip.
  const replies = await execAcrossSlots<
    (typeof rooms)[number],
    ScriptedPipeline<typeof messageScripts>
  >(
    redis,
    rooms,
    ({ room }) => roomKeys(prefix, room).idx,
    (pipeline, { room, peer }) => {
      const keys = roomKeys(prefix, room);
      pipeline.ecReadState(
        ...argsOf(STATE_KEYS, { idx: keys.idx, exp: keys.exp, read: keys.read }),
        ...argsOf(STATE_ARGV, { now, member, peer }),
      );
    },
  );
  return replies.map((reply) => {
    const [readSeq, peerReadSeq, unread, peerDeliveredSeq, unseenExpired] = reply as number[];
    return {
      readSeq: readSeq ?? 0,
      peerReadSeq: peerReadSeq ?? 0,
      peerDeliveredSeq: peerDeliveredSeq ?? 0,
      unread: unread ?? 0,
      unseenExpired: unseenExpired ?? 0,
    };
  });
}

export async function getSettings(
  redis: Scripted,
  prefix: string,
  room: string,
): Promise<ChatSettings> {
  const [ttl, burn] = await call(() => redis.hmget(roomKeys(prefix, room).settings, 'ttl', 'burn'));
  return settingsOf(ttl ?? '', burn ?? '');
}

export async function setSettings(
  redis: Scripted,
  prefix: string,
  room: string,
  patch: SettingsPatch,
): Promise<SettingsResult> {
  const reply = await call(() =>
    redis.ecSetSettings(
      roomKeys(prefix, room).settings,
      ...argsOf(SETTINGS_ARGV, {
        ttl: patch.ttl ?? '',
        burn: patch.burn === null ? 'null' : (patch.burn ?? ''),
      }),
    ),
  );
  const [ok, ttl, burn] = reply as [number, string?, string?];
  if (ok !== 1) return { ok: false };
  return { ok: true, settings: settingsOf(ttl ?? '', burn ?? '') };
}

function settingsOf(ttl: string, burn: string): ChatSettings {
  return {
    ...(ttl === '' ? {} : { ttl: Number(ttl) }),
    ...(burn === '' ? {} : { burn: Number(burn) }),
  };
}
