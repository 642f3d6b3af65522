import { LUA_EXTEND } from './lua-extend.js';

/**
 * Marks a node's connections of a user live until expiresAt.
 * KEYS: presence. ARGV: nodeId, now, expiresAt, ttl. Returns 1 when no node had a live mark before.
 */
export const MARK_ONLINE = `${LUA_EXTEND}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
extend(KEYS[1], ARGV[4])
if before == 0 then return 1 end
return 0
`;

/** Removes a node's mark. KEYS: presence. ARGV: nodeId, now. Returns 1 when no live mark is left. */
export const MARK_OFFLINE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
return 0
`;
