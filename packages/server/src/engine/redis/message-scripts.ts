/**
 * Lua for a room's keys (see redis-keys.ts). Every script gets the room's key base (`P{room}:`) as
 * ARGV[1] to build message keys from seqs; they share the room's hash tag, so they sit on the
 * declared keys' slot (Redis Cluster allows that; it cannot know the seq before the script runs).
 */

import { LUA_EXTEND } from './lua-extend.js';

/** Pruning a room's indexes, in chunks. */
const LUA_PRUNE = `
-- Removes seqs from both indexes, 1000 at a time: unpack() of a long list overflows Lua's C
-- stack. The message keys are left to their own PX, which Redis honours at the same moment:
-- deleting them here would only repeat Redis' work inside the script, during mass expiry at that.
local function drop(idx, exp, seqs)
  for i = 1, #seqs, 1000 do
    local j = math.min(i + 999, #seqs)
    redis.call('ZREM', idx, unpack(seqs, i, j))
    redis.call('ZREM', exp, unpack(seqs, i, j))
  end
end

-- Everything that expired by the caller's clock leaves the index, whatever Redis still holds.
local function prune(idx, exp, now)
  drop(idx, exp, redis.call('ZRANGEBYSCORE', exp, '-inf', now))
end
`;

/** Fields per message in APPEND's ARGV, after the shared tag. */
const APPEND_FIELDS = 10;

/**
 * Sends, each atomic, several per round trip: a node gathers the sends of one event-loop turn
 * into one call, so Redis parses one command and enters Lua once for all of them.
 * KEYS: 4 per message: seq, idx, exp, and the message's own key (named by its id, sender and
 * clientMsgId, so it is also what makes a retry idempotent). ARGV[1]: this node's tag (see
 * redis-pubsub.ts); then APPEND_FIELDS per message: now, ttl, expiresAt, head, tail, id, channel1,
 * mine1, channel2, mine2. The message JSON is built in JS except its seq, spliced in
 * here as `head .. seq .. tail`: cjson would print a seq near 1.7e12 as a float. Returns
 * {duplicate (0|1), message JSON} per message, flattened.
 *
 * A member's channel gets the frame only when it has a subscriber besides the calling node
 * (`mine` is 1 when the caller subscribes to it): the caller delivers to its own sockets itself,
 * so a chat whose members share a node costs no pub/sub at all. Subscribing and this check are
 * ordered by Redis, so a node that subscribes after it simply reads the message on resume.
 */
export const APPEND = `${LUA_PRUNE}
local tag = ARGV[1]

local function append(seqKey, idx, exp, key, a)
  local now, ttl, id = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 5]
  -- A retry of a message that is still live gets the first one back; an id whose message has
  -- expired is stored anew (its index entries are simply rescored).
  local prior = redis.call('GET', key)
  if prior then
    local expires = redis.call('ZSCORE', exp, id)
    if expires and tonumber(expires) > now then return 1, prior end
  end
  prune(idx, exp, ARGV[a])
  local seq
  if redis.call('ZCARD', idx) > 0 then seq = redis.call('INCR', seqKey) end
  if not seq or seq == 1 then
    -- A room with no live message is forgotten: restart at the clock, never below the last seq
    -- (1 means the seq key had gone while index entries remained: restart likewise).
    seq = math.max(now, tonumber(redis.call('GET', seqKey) or '0') + 1)
    redis.call('SET', seqKey, string.format('%d', seq), 'PX', ttl)
  end
  local s = string.format('%d', seq)
  local msg = ARGV[a + 3] .. s .. ARGV[a + 4]
  redis.call('SET', key, msg, 'PX', ttl)
  redis.call('ZADD', idx, s, id)
  redis.call('ZADD', exp, ARGV[a + 2], id)
  -- The room's keys are extended together, so one PTTL answers for all three (seq never has
  -- less time left than idx), and with a little slack (a tenth of the TTL, at most a minute), so
  -- a busy room extends them now and then rather than on every message.
  if redis.call('PTTL', idx) < tonumber(ttl) then
    local keep = ttl + math.min(math.floor(ttl / 10), 60000)
    redis.call('PEXPIRE', idx, keep)
    redis.call('PEXPIRE', exp, keep)
    redis.call('PEXPIRE', seqKey, keep)
  end
  local frame
  for c = a + 6, a + 8, 2 do
    local channel = ARGV[c]
    if c == a + 6 or channel ~= ARGV[a + 6] then
      if redis.call('PUBSUB', 'NUMSUB', channel)[2] > tonumber(ARGV[c + 1]) then
        frame = frame or tag .. '{"type":"message","message":' .. msg .. '}'
        redis.call('PUBLISH', channel, frame)
      end
    end
  end
  return 0, msg
end

local out = {}
for i = 0, #KEYS / 4 - 1 do
  local k = i * 4
  local duplicate, msg = append(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], 2 + i * ${APPEND_FIELDS})
  out[#out + 1] = duplicate
  out[#out + 1] = msg
end
return out
`;

/**
 * Unexpired messages with seq > after, ascending, at most limit. An index entry whose message key
 * is gone (Redis expired it first) is dropped and the next one taken.
 * KEYS: idx, exp. ARGV: base, now, after, limit. Returns message JSONs.
 */
export const READ_AFTER = `${LUA_PRUNE}
local base, limit = ARGV[1], tonumber(ARGV[4])
prune(KEYS[1], KEYS[2], ARGV[2])
local out, from = {}, ARGV[3]
while #out < limit do
  local page = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. from, '+inf', 'WITHSCORES', 'LIMIT', 0, limit - #out)
  if #page == 0 then break end
  local gone = {}
  for i = 1, #page, 2 do
    local m = redis.call('GET', base .. 'm:' .. page[i])
    if m then out[#out + 1] = m else gone[#gone + 1] = page[i] end
  end
  drop(KEYS[1], KEYS[2], gone)
  from = page[#page]
end
return out
`;

/**
 * The newest unexpired messages with seq < before ('' for none), at most limit, newest first.
 * KEYS: idx, exp. ARGV: base, now, before, limit. Returns {hasMore (0|1), message JSONs}.
 */
export const READ_BEFORE = `${LUA_PRUNE}
local base, want = ARGV[1], tonumber(ARGV[4]) + 1
prune(KEYS[1], KEYS[2], ARGV[2])
local out, max = {}, ARGV[3] == '' and '+inf' or '(' .. ARGV[3]
while #out < want do
  local page = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'WITHSCORES', 'LIMIT', 0, want - #out)
  if #page == 0 then break end
  local gone = {}
  for i = 1, #page, 2 do
    local m = redis.call('GET', base .. 'm:' .. page[i])
    if m then out[#out + 1] = m else gone[#gone + 1] = page[i] end
  end
  drop(KEYS[1], KEYS[2], gone)
  max = '(' .. page[#page]
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
