/**
 * Where everything lives in Redis, under the configured prefix P (e.g. `ec:`).
 *
 * A room's keys carry the room id as a hash tag (`P{dm:a:b}:…`), so Redis Cluster keeps a room on
 * one slot and the send script may touch all of them atomically:
 * - `P{room}:seq`  the last seq handed out
 * - `P{room}:idx`  ZSET member = message id (`<from>:<clientMsgId>`), score = seq (reads by seq)
 * - `P{room}:exp`  ZSET member = message id, score = expiresAt (pruning)
 * - `P{room}:read` HASH: per member `<id>` its read seq, `d:<id>` its delivered seq, `u:<id>` peer
 *   messages after its read seq not yet settled, `x:<id>` those settled as expired unseen; it
 *   outlives `idx` by UNSEEN_KEEP_MS (7 days)
 * - `P{room}:burn:<id>` ZSET member = message id, score = seq: burn messages to that member not
 *   yet burning (its read consumes them); lives as long as the longest of them
 * - `P{room}:burn` (groups) ZSET as above, of every burn message of the group not yet burning (a
 *   group read starts those every member has read)
 * - `P{room}:settings` HASH `ttl`, `burn`: the chat's defaults, 90 days after the last change
 * - `P{room}:m:<from>:<clientMsgId>`  the message JSON, PX ttl; named by the sender's id for the
 *   message, so the same key answers a retry (idempotency) and a read
 *
 * Per user, on other slots:
 * - `Pu:<userId>:rooms`  ZSET member = room, score = latest expiresAt of its messages
 * - `Ppresence:<userId>`  ZSET member = nodeId, score = mark expiry
 *
 * Pub/sub channels are `P` + topic, e.g. `ec:user:<id>`. On a Redis Cluster (sharded pub/sub) a
 * room topic's channel carries the room's hash tag, `P{room}:room`, so the room's scripts may
 * SPUBLISH on it (bus/redis-bus.ts); counters are `Pctr:{ctr}:<key>` (one slot, see
 * counters/redis-counters.ts).
 */
export function roomKeys(prefix: string, room: string) {
  const base = `${prefix}{${room}}:`;
  return {
    base,
    seq: `${base}seq`,
    idx: `${base}idx`,
    exp: `${base}exp`,
    read: `${base}read`,
    /** The burn messages to `member` that have not started burning. */
    burns: (member: string) => `${base}burn:${member}`,
    /** A group's burn messages that have not started burning. */
    groupBurns: `${base}burn`,
    settings: `${base}settings`,
    /** A message's id in the room's indexes: unique per sender and clientMsgId. */
    id: (from: string, clientMsgId: string) => `${from}:${clientMsgId}`,
    message: (from: string, clientMsgId: string) => `${base}m:${from}:${clientMsgId}`,
  };
}

export function userRoomsKey(prefix: string, userId: string): string {
  return `${prefix}u:${userId}:rooms`;
}

export function presenceKey(prefix: string, userId: string): string {
  return `${prefix}presence:${userId}`;
}
