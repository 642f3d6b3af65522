import { roomTopic, userTopic } from '../../delivery/topics.js';
import type { ExpiringMap } from '../memory/expiring-map.js';
import type { MemoryRoom } from './memory-room.js';
import type { PurgeResult } from './message-store.js';

/** The MemoryMessageStore's state a purge works on. */
export interface MemoryPurgeState {
  rooms: Map<string, MemoryRoom>;
  userRooms: Map<string, Map<string, number>>;
  settings: Pick<ExpiringMap<unknown>, 'delete'>;
  publish(topic: string, payload: string): void;
}

const unsent = (room: string, seq: number) =>
  `{"type":"unsent","room":${JSON.stringify(room)},"seq":${seq}}`;

/** MessageStore.purgeUser in memory: the same events as the Redis store's. */
export function purgeMemory(
  s: MemoryPurgeState,
  userId: string,
  groupRooms: readonly string[],
  now: number,
): PurgeResult {
  let rooms = 0;
  let messages = 0;
  for (const [roomId, room] of [...s.rooms]) {
    const parts = roomId.split(':');
    if (parts[0] !== 'dm' || (parts[1] !== userId && parts[2] !== userId)) continue;
    room.prune(now);
    const members = new Set([parts[1] ?? '', parts[2] ?? '']);
    for (const m of room.messages) {
      for (const member of members) s.publish(userTopic(member), unsent(roomId, m.seq));
      messages++;
    }
    s.rooms.delete(roomId);
    s.settings.delete(roomId);
    for (const member of members) s.userRooms.get(member)?.delete(roomId);
    rooms++;
  }
  s.userRooms.delete(userId);
  for (const roomId of groupRooms) {
    rooms++;
    const room = s.rooms.get(roomId);
    if (!room) continue;
    room.prune(now);
    for (const m of room.messages.filter((x) => x.from === userId)) {
      if (room.unsend(userId, undefined, m.seq) !== 'unsent') continue;
      s.publish(roomTopic(roomId), unsent(roomId, m.seq));
      messages++;
    }
    room.reads.delete(userId);
  }
  return { rooms, messages };
}
