/**
 * Lua for a room's read state: `P{room}:read`, a hash member → read seq beside the room's other
 * keys (same hash tag, same slot). The send script raises the sender's entry and extends the key
 * with the room's, so every message after a member's read seq is the peer's.
 */

import { LUA_PRUNE } from './lua-prune.js';

/** MARK_READ's KEYS. */
export const MARK_KEYS = { idx: 1, seq: 2, read: 3 } as const;
/** MARK_READ's ARGV. */
export const MARK_ARGV = { member: 1, seq: 2 } as const;

/**
 * Raises the member's read seq to ARGV seq clamped to the room's latest seq (HSET only if
 * greater), and gives the key at least the index's PTTL, so it lives as long as the room. A room
 * with no index (no live message) keeps nothing. Returns {read seq after, 1 when it moved}.
 */
export const MARK_READ = `
local idx, seqKey, read = KEYS[${MARK_KEYS.idx}], KEYS[${MARK_KEYS.seq}], KEYS[${MARK_KEYS.read}]
local member = ARGV[${MARK_ARGV.member}]
local stored = tonumber(redis.call('HGET', read, member) or '0')
local ttl = redis.call('PTTL', idx)
if ttl <= 0 then return {stored, 0} end
local want = math.min(tonumber(ARGV[${MARK_ARGV.seq}]), tonumber(redis.call('GET', seqKey) or '0'))
if want <= stored then return {stored, 0} end
redis.call('HSET', read, member, string.format('%d', want))
if redis.call('PTTL', read) < ttl then redis.call('PEXPIRE', read, ttl) end
return {want, 1}
`;

/** READ_STATE's KEYS. */
export const STATE_KEYS = { idx: 1, exp: 2, read: 3 } as const;
/** READ_STATE's ARGV. */
export const STATE_ARGV = { now: 1, member: 2, peer: 3 } as const;

/**
 * The member's read state: prunes what expired, then counts the index after the member's read seq
 * (O(log n): those are all the peer's). Returns {read seq, peer's read seq, unread}.
 */
export const READ_STATE = `${LUA_PRUNE}
local idx, exp, read = KEYS[${STATE_KEYS.idx}], KEYS[${STATE_KEYS.exp}], KEYS[${STATE_KEYS.read}]
prune(idx, exp, ARGV[${STATE_ARGV.now}])
local mine = redis.call('HGET', read, ARGV[${STATE_ARGV.member}]) or '0'
local peer = redis.call('HGET', read, ARGV[${STATE_ARGV.peer}]) or '0'
return {tonumber(mine), tonumber(peer), redis.call('ZCOUNT', idx, '(' .. mine, '+inf')}
`;
