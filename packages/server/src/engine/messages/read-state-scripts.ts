/**
 * Lua for a room's read state: `P{room}:read`, a hash beside the room's other keys (same hash tag,
 * same slot) holding per member `<id>` its read seq, `d:<id>` its delivered seq, `u:<id>` the peer
 * messages after its read seq not yet settled and `x:<id>` those settled as expired unseen. The
 * send script raises the sender's read seq and the recipient's `u:`, and extends the key with the
 * room's plus UNSEEN_KEEP_MS, so every message after a member's read seq is the peer's and
 *
 *   unseenExpired = x + (u − live messages after the read seq)
 *
 * in O(log n) with no per-message retention: what left the index unread expired unseen.
 */

import { LUA_PRUNE } from './lua-prune.js';
import { UNSEEN_KEEP_MS } from './retention.js';

/** MARK_READ's KEYS (`burns`: the member's burn set, `P{room}:burn:<member>`). */
export const MARK_KEYS = { idx: 1, exp: 2, seq: 3, read: 4, burns: 5 } as const;
/** MARK_READ's ARGV. */
export const MARK_ARGV = { base: 1, member: 2, seq: 3, now: 4, max: 5 } as const;

/**
 * A read mark, atomic. Prunes; settles the member's unseen-expired count; raises the read seq to
 * ARGV seq clamped to the room's latest (only while the room holds a live message); starts the
 * burn of the member's burn messages with seq ≤ the read seq (at most `max`: their JSON's trailing
 * expiresAt, the `exp` score and the key's PX all become min(expiresAt, now + burn)); then resets
 * the unseen-expired count to 0 and `u` to the live messages after the read seq. A room with no
 * state at all keeps nothing.
 * Returns {read seq, moved (0|1), unseen count cleared, more burns waiting (0|1), seq, expiresAt, …}.
 */
export const MARK_READ = `${LUA_PRUNE}
local K, A = KEYS, ARGV
local idx, exp, seqKey, read, burns = K[${MARK_KEYS.idx}], K[${MARK_KEYS.exp}], K[${MARK_KEYS.seq}], K[${MARK_KEYS.read}], K[${MARK_KEYS.burns}]
local base, member, now = A[${MARK_ARGV.base}], A[${MARK_ARGV.member}], tonumber(A[${MARK_ARGV.now}])
prune(idx, exp, A[${MARK_ARGV.now}])
local state = redis.call('HMGET', read, member, 'u:' .. member, 'x:' .. member)
local stored = tonumber(state[1] or '0')
local pending = tonumber(state[2] or '0')
local unseen = tonumber(state[3] or '0')
local live = redis.call('ZCOUNT', idx, '(' .. string.format('%d', stored), '+inf')
if pending > live then unseen = unseen + pending - live end
local ttl = redis.call('PTTL', idx)
local seq, moved = stored, 0
if ttl > 0 then
  local want = math.min(tonumber(A[${MARK_ARGV.seq}]), tonumber(redis.call('GET', seqKey) or '0'))
  if want > stored then seq, moved = want, 1 end
end
local s = string.format('%d', seq)
local out = {seq, moved, unseen, 0}
if ttl > 0 then
  local max = tonumber(A[${MARK_ARGV.max}])
  local ids = redis.call('ZRANGEBYSCORE', burns, '-inf', s, 'WITHSCORES', 'LIMIT', 0, max + 1)
  local done = {}
  for i = 1, #ids, 2 do
    if #done >= max then out[4] = 1 break end
    local id = ids[i]
    done[#done + 1] = id
    local key = base .. 'm:' .. id
    local m = redis.call('GET', key)
    -- burn and expiresAt are the JSON's last two fields (a "burn": in the text is escaped).
    local b, e = nil, nil
    if m then b, e = string.match(m, '"burn":(%d+),"expiresAt":(%d+)}$') end
    if b then
      local at = now + tonumber(b)
      if at < tonumber(e) then
        local a = string.format('%d', at)
        redis.call('SET', key, string.sub(m, 1, #m - #e - 1) .. a .. '}', 'PX', at - now)
        redis.call('ZADD', exp, 'XX', a, id)
        out[#out + 1] = tonumber(ids[i + 1])
        out[#out + 1] = at
      end
    end
  end
  if #done > 0 then redis.call('ZREM', burns, unpack(done)) end
end
if moved == 1 or pending > 0 or state[3] then
  redis.call('HSET', read, member, s, 'u:' .. member, redis.call('ZCOUNT', idx, '(' .. s, '+inf'))
  redis.call('HDEL', read, 'x:' .. member)
  if redis.call('PTTL', read) < 0 then
    redis.call('PEXPIRE', read, math.max(ttl, 0) + ${UNSEEN_KEEP_MS})
  end
end
return out
`;

/** MARK_DELIVERED's KEYS. */
export const DELIVERED_KEYS = { idx: 1, seq: 2, read: 3 } as const;
/** MARK_DELIVERED's ARGV. */
export const DELIVERED_ARGV = { member: 1, seq: 2 } as const;

/**
 * Raises the member's delivered seq `d:<member>` to ARGV seq clamped to the room's latest seq,
 * when that passes both the delivered and the read seq (a read counts as delivered); only while
 * the room holds a live message. Returns {effective delivered seq, moved (0|1)}.
 */
export const MARK_DELIVERED = `
local idx, seqKey, read = KEYS[${DELIVERED_KEYS.idx}], KEYS[${DELIVERED_KEYS.seq}], KEYS[${DELIVERED_KEYS.read}]
local member = ARGV[${DELIVERED_ARGV.member}]
local state = redis.call('HMGET', read, member, 'd:' .. member)
local current = math.max(tonumber(state[1] or '0'), tonumber(state[2] or '0'))
local ttl = redis.call('PTTL', idx)
if ttl <= 0 then return {current, 0} end
local want = math.min(tonumber(ARGV[${DELIVERED_ARGV.seq}]), tonumber(redis.call('GET', seqKey) or '0'))
if want <= current then return {current, 0} end
redis.call('HSET', read, 'd:' .. member, string.format('%d', want))
if redis.call('PTTL', read) < 0 then redis.call('PEXPIRE', read, ttl + ${UNSEEN_KEEP_MS}) end
return {want, 1}
`;

/** READ_STATE's KEYS. */
export const STATE_KEYS = { idx: 1, exp: 2, read: 3 } as const;
/** READ_STATE's ARGV. */
export const STATE_ARGV = { now: 1, member: 2, peer: 3 } as const;

/**
 * The member's read state: prunes what expired, then counts the index after the member's read seq
 * (O(log n): those are all the peer's). Returns {read seq, peer's read seq, unread, peer's
 * delivered seq (at least their read seq), unseen-expired}.
 */
export const READ_STATE = `${LUA_PRUNE}
local idx, exp, read = KEYS[${STATE_KEYS.idx}], KEYS[${STATE_KEYS.exp}], KEYS[${STATE_KEYS.read}]
local member, peer = ARGV[${STATE_ARGV.member}], ARGV[${STATE_ARGV.peer}]
prune(idx, exp, ARGV[${STATE_ARGV.now}])
local s = redis.call('HMGET', read, member, peer, 'd:' .. peer, 'u:' .. member, 'x:' .. member)
local mine, theirs = s[1] or '0', tonumber(s[2] or '0')
local unread = redis.call('ZCOUNT', idx, '(' .. mine, '+inf')
local unseen = tonumber(s[5] or '0') + math.max(0, tonumber(s[4] or '0') - unread)
return {tonumber(mine), theirs, unread, math.max(theirs, tonumber(s[3] or '0')), unseen}
`;
