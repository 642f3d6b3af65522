import { LUA_EXTEND } from '../redis/lua-extend.js';

/** MARK_ONLINE's ARGV (KEYS[1]: the user's presence ZSET). */
export const MARK_ONLINE_ARGV = { nodeId: 1, now: 2, expiresAt: 3, ttl: 4 } as const;
/** MARK_OFFLINE's ARGV (KEYS[1]: the user's presence ZSET). */
export const MARK_OFFLINE_ARGV = { nodeId: 1, now: 2 } as const;

const on = MARK_ONLINE_ARGV;
const off = MARK_OFFLINE_ARGV;

/** Marks a node's connections of a user live until expiresAt. Returns 1 when no node had a live mark before. */
export const MARK_ONLINE = `${LUA_EXTEND}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[${on.now}])
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], ARGV[${on.expiresAt}], ARGV[${on.nodeId}])
extend(KEYS[1], ARGV[${on.ttl}])
if before == 0 then return 1 end
return 0
`;

/** Removes a node's mark. Returns 1 when no live mark is left. */
export const MARK_OFFLINE = `
redis.call('ZREM', KEYS[1], ARGV[${off.nodeId}])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[${off.now}])
if redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
return 0
`;

/** The presence seam's scripts, as custom commands on the shared connection. */
export const presenceScripts = {
  ecMarkOnline: { numberOfKeys: 1, lua: MARK_ONLINE },
  ecMarkOffline: { numberOfKeys: 1, lua: MARK_OFFLINE },
} as const;
