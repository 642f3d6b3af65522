/*
 * Topic names: the only place they are spelled. A topic is a Bus name; the Redis engine prefixes
 * it into a channel (`ec:user:<id>`, see engine/redis/redis-keys.ts).
 */

/**
 * A user's topic: every node holding a socket of the user subscribes to it (see user-topic.ts).
 * It carries the user's live frames (messages, typing) and node-to-node notices (`{"$":…}`).
 */
export function userTopic(userId: string): string {
  return `user:${userId}`;
}

/** A user's presence changes: nodes whose sockets watch that user subscribe to it. */
export function presenceTopic(userId: string): string {
  return `presence:${userId}`;
}

/**
 * Group notices (`{"$":"group_changed","room":…}`): every node subscribes at start and drops its
 * cached copy of that group (services/group-service.ts).
 */
export function groupsTopic(): string {
  return 'groups';
}

/**
 * User notices (`{"$":"user_deleted","id":…}`): every node subscribes at start and drops the
 * deleted account from its directory cache (services/user-directory.ts), so no 1:1 room with it
 * takes a message again.
 */
export function usersTopic(): string {
  return 'users';
}

/**
 * Block notices (`{"$":"block_changed","a":…,"b":…}`): every node subscribes at start, drops its
 * cached answer for that pair and the pair's presence watches (services/block-service.ts).
 */
export function blocksTopic(): string {
  return 'blocks';
}

/**
 * A group room's live frames (messages, reads, typing, expiry, unsent, settings): one publish per
 * frame reaches every node serving a member; each node hands it to its member sockets
 * (delivery/room-topic.ts). 1:1 rooms use the members' user topics instead.
 */
export function roomTopic(room: string): string {
  return `room:${room}`;
}

/** Where a room's message event goes: both members' user topics (the same one twice in a self-chat). */
export function messageTopics(members: readonly [string, string]): [string, string] {
  return [userTopic(members[0]), userTopic(members[1])];
}
