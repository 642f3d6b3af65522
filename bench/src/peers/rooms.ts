import { randomUUID } from 'node:crypto';

/** 1:1 room ids as the protocol derives them: `dm:` and the two member ids, sorted. */
export function roomFor(a: string, b: string): string {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

/** The two members of a well-formed room id, else undefined. */
export function membersOf(room: unknown): [string, string] | undefined {
  if (typeof room !== 'string') return undefined;
  const parts = room.split(':');
  if (parts.length !== 3 || parts[0] !== 'dm' || !parts[1] || !parts[2]) return undefined;
  return [parts[1], parts[2]];
}

/** A new group room id in the protocol's shape: `g:` and a lower-case UUID. */
export function newGroupRoom(): string {
  return `g:${randomUUID()}`;
}

const GROUP_ROOM = /^g:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isGroupRoom(room: unknown): room is string {
  return typeof room === 'string' && GROUP_ROOM.test(room);
}

/** Where a `send` from `userId` goes, or undefined when the user may not send there. */
export type SendTarget =
  | { kind: 'dm'; members: [string, string] }
  | { kind: 'group'; room: string };

/**
 * Who may send to `room`: a 1:1 room's two members; a group room's members, which in the Socket.IO
 * baseline are the sockets that joined it (`group.join` checked the membership once, as ours
 * checks its per-node membership cache rather than SQL on every frame).
 */
export function sendTarget(
  room: unknown,
  userId: string,
  joined: ReadonlySet<string>,
): SendTarget | undefined {
  if (isGroupRoom(room)) return joined.has(room) ? { kind: 'group', room } : undefined;
  const members = membersOf(room);
  return members?.includes(userId) ? { kind: 'dm', members } : undefined;
}
