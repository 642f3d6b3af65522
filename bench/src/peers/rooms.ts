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
