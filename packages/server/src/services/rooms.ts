/** A 1:1 room id: `dm:` and the two member ids sorted, so both members derive the same one. */
export function roomFor(a: string, b: string): string {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

/** The two member ids of a room id, or undefined when it is not a well-formed 1:1 room. */
export function membersOf(room: string): readonly [string, string] | undefined {
  const parts = room.split(':');
  if (parts.length !== 3 || parts[0] !== 'dm' || !parts[1] || !parts[2]) return undefined;
  return [parts[1], parts[2]];
}

/** The other member, or undefined when `userId` is not a member of the room. */
export function peerIn(room: string, userId: string): string | undefined {
  const members = membersOf(room);
  if (!members) return undefined;
  if (members[0] === userId) return members[1];
  if (members[1] === userId) return members[0];
  return undefined;
}
