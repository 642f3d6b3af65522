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
 * Block notices (`{"$":"block_changed","a":…,"b":…}`): every node subscribes at start, drops its
 * cached answer for that pair and the pair's presence watches (services/block-service.ts).
 */
export function blocksTopic(): string {
  return 'blocks';
}

/** Where a room's message event goes: both members' user topics (the same one twice in a self-chat). */
export function messageTopics(members: readonly [string, string]): [string, string] {
  return [userTopic(members[0]), userTopic(members[1])];
}
