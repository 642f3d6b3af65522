import type { Redis } from 'ioredis';
import { userTopic } from '../../delivery/topics.js';
import type { Bus } from '../bus/bus.js';
import { call } from '../redis/redis-call.js';
import { isCluster, type RedisClient } from '../redis/redis-client-type.js';
import { roomKeys, userRoomsKey } from '../redis/redis-keys.js';
import type { PurgeResult, UnsendResult } from './message-store.js';

/**
 * Deletes a 1:1 room whole, atomically on its slot, and returns the seqs of the messages its index
 * held (for the `unsent` events). KEYS: idx first, then every fixed key of the room.
 */
const DROP_ROOM = `
local idx = KEYS[1]
local base = string.sub(idx, 1, #idx - 3)
local entries = redis.call('ZRANGE', idx, 0, -1, 'WITHSCORES')
local seqs = {}
for i = 1, #entries, 2 do
  redis.call('DEL', base .. 'm:' .. entries[i])
  seqs[#seqs + 1] = entries[i + 1]
end
redis.call('DEL', unpack(KEYS))
return seqs
`;

export interface RedisPurgeDeps {
  redis: RedisClient;
  bus: Pick<Bus, 'publish'>;
  prefix: string;
  /** The store's own group unsend (deletes the message, publishes `unsent` to the room topic). */
  unsendInGroup(room: string, from: string, seq: number, now: number): Promise<UnsendResult>;
}

/**
 * MessageStore.purgeUser on Redis. The rooms come from the user's room index and from one SCAN of
 * the keyspace under the prefix (read state outlives the index by UNSEEN_KEEP_MS, and a message
 * key its index no longer lists lives to its own PX): account deletion is rare, and the promise is
 * that nothing naming the user is left, so it pays for one pass over the keys (on a Redis
 * Cluster, over every master's keys). Every script and MULTI here stays within one room's slot.
 */
export async function purgeRedis(
  d: RedisPurgeDeps,
  userId: string,
  groupRooms: readonly string[],
  now: number,
): Promise<PurgeResult> {
  const { redis, prefix } = d;
  const indexed = await call(() => redis.zrange(userRoomsKey(prefix, userId), '0', '-1'));
  const leftovers = await scanNaming(redis, prefix, userId);
  const dmRooms = new Set(indexed.filter((r) => isDmOf(r, userId)));
  for (const key of leftovers) {
    const room = /^\{([^}]+)\}/.exec(key.slice(prefix.length))?.[1];
    if (room && isDmOf(room, userId)) dmRooms.add(room);
  }
  let messages = 0;
  for (const room of dmRooms) {
    const [, a = '', b = ''] = room.split(':');
    const k = roomKeys(prefix, room);
    const fixed = [k.idx, k.exp, k.read, k.seq, k.settings, k.burns(a), k.burns(b), k.groupBurns];
    const seqs = (await call(() => redis.eval(DROP_ROOM, fixed.length, ...fixed))) as string[];
    for (const seq of seqs) {
      const event = `{"type":"unsent","room":${JSON.stringify(room)},"seq":${Number(seq)}}`;
      await Promise.all([a, b].map((m) => d.bus.publish(userTopic(m), event)));
    }
    messages += seqs.length;
    const peer = a === userId ? b : a;
    await call(() => redis.zrem(userRoomsKey(prefix, peer), room));
  }
  for (const room of groupRooms) {
    const k = roomKeys(prefix, room);
    const entries = await call(() => redis.zrange(k.idx, '0', '-1', 'WITHSCORES'));
    for (let i = 0; i + 1 < entries.length; i += 2) {
      if (!entries[i]?.startsWith(`${userId}:`)) continue;
      if ((await d.unsendInGroup(room, userId, Number(entries[i + 1]), now)) === 'unsent') {
        messages++;
      }
    }
    await call(() =>
      redis
        .multi()
        .hdel(k.read, userId, `d:${userId}`, `u:${userId}`, `x:${userId}`)
        .del(k.burns(userId))
        .exec(),
    );
  }
  // What no index listed: message keys of expired or burned messages, stale read state.
  const rest = await scanNaming(redis, prefix, userId);
  for (const key of rest) await call(() => redis.del(key));
  await call(() => redis.del(userRoomsKey(prefix, userId)));
  return { rooms: dmRooms.size + groupRooms.length, messages };
}

function isDmOf(room: string, userId: string): boolean {
  const [kind, a, b] = room.split(':');
  return kind === 'dm' && (a === userId || b === userId);
}

/**
 * The room keys under the prefix that name the user: every key of their 1:1 rooms, and their
 * message keys in groups (`P{g:…}:m:<userId>:…`, `P{g:…}:burn:<userId>`).
 */
async function scanNaming(redis: RedisClient, prefix: string, userId: string): Promise<string[]> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const found = await Promise.all(nodes.map((node) => scanNode(node, prefix, userId)));
  return found.flat();
}

async function scanNode(redis: Redis, prefix: string, userId: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await call(() =>
      redis.scan(cursor, 'MATCH', `${prefix}{*${userId}*`, 'COUNT', 1000),
    );
    cursor = next;
    // The pattern is coarse (a clientMsgId may spell anything): keep only what names the user.
    for (const key of keys) {
      const m = /^\{([^}]+)\}:(.*)$/.exec(key.slice(prefix.length));
      if (!m?.[1] || m[2] === undefined) continue;
      const rest = m[2];
      if (isDmOf(m[1], userId) || rest.startsWith(`m:${userId}:`) || rest === `burn:${userId}`) {
        found.push(key);
      }
    }
  } while (cursor !== '0');
  return found;
}
