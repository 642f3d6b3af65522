/** A 1:1 room id: `dm:` and the two member ids sorted, so both members derive the same one. */
export function roomFor(a: string, b: string): string {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

/**
 * The two member ids of a room id, or undefined when it is not a well-formed 1:1 room. The ids
 * must be in `roomFor`'s order: any other spelling (`dm:<b>:<a>`) would be a twin of the room,
 * splitting one conversation in two, so it is no room at all.
 */
export function membersOf(room: string): readonly [string, string] | undefined {
  const parts = room.split(':');
  const [kind, a, b] = parts;
  if (parts.length !== 3 || kind !== 'dm' || !a || !b || !(a < b)) return undefined;
  return [a, b];
}

/** The other member, or undefined when `userId` is not a member of the room. */
export function peerIn(room: string, userId: string): string | undefined {
  const members = membersOf(room);
  if (!members) return undefined;
  if (members[0] === userId) return members[1];
  if (members[1] === userId) return members[0];
  return undefined;
}
