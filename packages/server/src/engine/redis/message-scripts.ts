/**
 * Lua for a room's keys (see redis-keys.ts). Every script gets the room's key base (`P{room}:`) as
 * ARGV[1] to build message keys from seqs; they share the room's hash tag, so they sit on the
 * declared keys' slot (Redis Cluster allows that; it cannot know the seq before the script runs).
 */

import { LUA_EXTEND } from './lua-extend.js';

/** Pruning a room's indexes, in chunks. */
const LUA_PRUNE = `
-- Removes seqs from both indexes and unlinks their message keys, 1000 at a time: unpack() of
-- a long list overflows Lua's C stack. UNLINK, not DEL: the keys expire by their own TTL anyway,
-- and freeing them off Redis' main thread keeps a read during mass expiry from stalling it.
local function drop(idx, exp, base, seqs)
  for i = 1, #seqs, 1000 do
    local j = math.min(i + 999, #seqs)
    redis.call('ZREM', idx, unpack(seqs, i, j))
    redis.call('ZREM', exp, unpack(seqs, i, j))
    local keys = {}
    for k = i, j do keys[#keys + 1] = base .. 'm:' .. seqs[k] end
    redis.call('UNLINK', unpack(keys))
  end
end

-- Everything that expired by the caller's clock leaves the index, whatever Redis still holds.
local function prune(idx, exp, base, now)
  drop(idx, exp, base, redis.call('ZRANGEBYSCORE', exp, '-inf', now))
end
`;

/**
 * One send, atomic, one round trip.
 * KEYS: seq, idx, exp, client. ARGV: base, now, ttl, expiresAt, head, tail, then the fan-out:
 * channel1, mine1, channel2, mine2, tag (see redis-pubsub.ts). The message JSON is built in JS
 * except its seq, spliced in here as `head .. seq .. tail`: cjson would print a seq near 1.7e12 as
 * a float. Returns {duplicate (0|1), message JSON}.
 *
 * A member's channel gets the frame only when it has a subscriber besides the calling node
 * (`mine` is 1 when the caller subscribes to it): the caller delivers to its own sockets itself,
 * so a chat whose members share a node costs no pub/sub at all. Subscribing and this check are
 * ordered by Redis, so a node that subscribes after it simply reads the message on resume.
 */
export const APPEND = `${LUA_EXTEND}${LUA_PRUNE}
local base, now, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local prior = redis.call('GET', KEYS[4])
if prior then
  local expires = redis.call('ZSCORE', KEYS[3], prior)
  if expires and tonumber(expires) > now then
    local m = redis.call('GET', base .. 'm:' .. prior)
    if m then return {1, m} end
  end
end
prune(KEYS[2], KEYS[3], base, ARGV[2])
local seq
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('ZCARD', KEYS[2]) > 0 then
  seq = redis.call('INCR', KEYS[1])
else
  -- A room with no live message is forgotten: restart at the clock, never below the last seq.
  seq = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0') + 1)
  redis.call('SET', KEYS[1], string.format('%d', seq))
end
local s = string.format('%d', seq)
local msg = ARGV[5] .. s .. ARGV[6]
redis.call('SET', base .. 'm:' .. s, msg, 'PX', ttl)
redis.call('SET', KEYS[4], s, 'PX', ttl)
redis.call('ZADD', KEYS[2], s, s)
redis.call('ZADD', KEYS[3], ARGV[4], s)
-- idx and exp are created, emptied and extended together: one PTTL answers for both.
if redis.call('PTTL', KEYS[2]) < tonumber(ttl) then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
extend(KEYS[1], ttl)
local frame
for i = 7, 9, 2 do
  local channel = ARGV[i]
  if i == 7 or channel ~= ARGV[7] then
    if redis.call('PUBSUB', 'NUMSUB', channel)[2] > tonumber(ARGV[i + 1]) then
      frame = frame or ARGV[11] .. '{"type":"message","message":' .. msg .. '}'
      redis.call('PUBLISH', channel, frame)
    end
  end
end
return {0, msg}
`;

/**
 * Unexpired messages with seq > after, ascending, at most limit. An index entry whose message key
 * is gone (Redis expired it first) is dropped and the next one taken.
 * KEYS: idx, exp. ARGV: base, now, after, limit. Returns message JSONs.
 */
export const READ_AFTER = `${LUA_PRUNE}
local base, limit = ARGV[1], tonumber(ARGV[4])
prune(KEYS[1], KEYS[2], base, ARGV[2])
local out, from = {}, ARGV[3]
while #out < limit do
  local seqs = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. from, '+inf', 'LIMIT', 0, limit - #out)
  if #seqs == 0 then break end
  local gone = {}
  for _, s in ipairs(seqs) do
    local m = redis.call('GET', base .. 'm:' .. s)
    if m then out[#out + 1] = m else gone[#gone + 1] = s end
  end
  drop(KEYS[1], KEYS[2], base, gone)
  from = seqs[#seqs]
end
return out
`;

/**
 * The newest unexpired messages with seq < before ('' for none), at most limit, newest first.
 * KEYS: idx, exp. ARGV: base, now, before, limit. Returns {hasMore (0|1), message JSONs}.
 */
export const READ_BEFORE = `${LUA_PRUNE}
local base, want = ARGV[1], tonumber(ARGV[4]) + 1
prune(KEYS[1], KEYS[2], base, ARGV[2])
local out, max = {}, ARGV[3] == '' and '+inf' or '(' .. ARGV[3]
while #out < want do
  local seqs = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'LIMIT', 0, want - #out)
  if #seqs == 0 then break end
  local gone = {}
  for _, s in ipairs(seqs) do
    local m = redis.call('GET', base .. 'm:' .. s)
    if m then out[#out + 1] = m else gone[#gone + 1] = s end
  end
  drop(KEYS[1], KEYS[2], base, gone)
  max = '(' .. seqs[#seqs]
end
local more = 0
if #out == want then
  more = 1
  out[#out] = nil
end
return {more, out}
`;

/** Records that a user has a room with messages until expiresAt. KEYS: rooms. ARGV: room, expiresAt, ttl. */
export const TOUCH_USER_ROOM = `${LUA_EXTEND}
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
extend(KEYS[1], ARGV[3])
`;
