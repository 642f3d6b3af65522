/**
 * Lua for a room's keys (see redis-keys.ts). Every script gets the room's key base (`P{room}:`) as
 * ARGV[1] to build message keys from seqs; they share the room's hash tag, so they sit on the
 * declared keys' slot (Redis Cluster allows that; it cannot know the seq before the script runs).
 */

import { messageEventPrefix } from '@ephemeral-chat/protocol';
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

/**
 * The message event as a single-quoted Lua string: the protocol's encoder owns the bytes, the
 * script only appends the message and the closing `}` (encode.test.ts keeps the prefix free of `'`
 * or `\`, so it needs no escaping).
 */
const LUA_MESSAGE_EVENT_PREFIX = `'${messageEventPrefix}'`;

/** Fields per message in APPEND's ARGV, after the shared tag. */
const APPEND_FIELDS = 11;

/**
 * Sends, each atomic, several per round trip: a node gathers the sends of one event-loop turn
 * into one call, so Redis parses one command and enters Lua once for all of them.
 * KEYS: 4 per message: seq, idx, exp, and the message's own key (named by its id, sender and
 * clientMsgId, so it is also what makes a retry idempotent). ARGV[1]: this node's tag (see
 * redis-pubsub.ts); then APPEND_FIELDS per message: now, ttl, expiresAt, head, tail, id, channel1,
 * mine1, channel2, mine2, deadline. The message JSON is built in JS except its seq, spliced in
 * here as `head .. seq .. tail`: cjson would print a seq near 1.7e12 as a float. Returns
 * {duplicate (0|1|2), message JSON} per message, flattened; 2 (and '') for a send that ran past
 * its deadline and did nothing.
 *
 * The deadline (epoch ms) is the moment after which the caller was told the send failed. A
 * command that timed out at the node is still in Redis' input (a stall) or resent after a
 * reconnect; checked against Redis' own clock (TIME; allowed in a writing script since Redis
 * replicates scripts by effects), such a late send stores and publishes nothing.
 *
 * A member's channel gets the frame only when it has a subscriber besides the calling node
 * (`mine` is 1 when the caller subscribes to it): the caller delivers to its own sockets itself,
 * so a chat whose members share a node costs no pub/sub at all. Subscribing and this check are
 * ordered by Redis, so a node that subscribes after it simply reads the message on resume.
 */
export const APPEND = `${LUA_PRUNE}
local tag = ARGV[1]
local time = redis.call('TIME')
local clock = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function append(seqKey, idx, exp, key, a)
  if clock > tonumber(ARGV[a + 10]) then return 2, '' end
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
        frame = frame or tag .. ${LUA_MESSAGE_EVENT_PREFIX} .. msg .. '}'
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
 * Walking a room's index for reads. Pages are bounded by count and by bytes (the JSON array of
 * the messages, `[`, `]` and commas included; at least one message), so Redis never ships more
 * than a reply may hold. An index entry whose message key is gone (Redis expired it first) is
 * dropped and the next one taken.
 */
const LUA_READ = `${LUA_PRUNE}
-- 1 when a live message remains in (edge, far] along cmd, dropping gone entries on the way.
local function remains(idx, exp, base, cmd, edge, far)
  while true do
    local e = redis.call(cmd, idx, edge, far, 'LIMIT', 0, 1)
    if #e == 0 then return 0 end
    if redis.call('EXISTS', base .. 'm:' .. e[1]) == 1 then return 1 end
    drop(idx, exp, e)
  end
end

-- Up to limit messages and cap bytes from edge towards far (ZRANGEBYSCORE to '+inf' or
-- ZREVRANGEBYSCORE to '-inf'), and 1 when live ones remain beyond the last returned.
local function collect(idx, exp, base, cmd, edge, far, limit, cap)
  local out, bytes = {}, 1
  while #out < limit do
    local page = redis.call(cmd, idx, edge, far, 'WITHSCORES', 'LIMIT', 0, limit - #out)
    if #page == 0 then return out, 0 end
    local gone = {}
    for i = 1, #page, 2 do
      local m = redis.call('GET', base .. 'm:' .. page[i])
      if m then
        if #out > 0 and bytes + #m + 1 > cap then
          drop(idx, exp, gone)
          return out, 1
        end
        bytes = bytes + #m + 1
        out[#out + 1] = m
      else
        gone[#gone + 1] = page[i]
      end
    end
    drop(idx, exp, gone)
    edge = '(' .. page[#page]
  end
  return out, remains(idx, exp, base, cmd, edge, far)
end
`;

/**
 * Unexpired messages with seq > after, ascending, at most limit and maxBytes.
 * KEYS: idx, exp. ARGV: base, now, after, limit, maxBytes (optional). Returns {hasMore (0|1),
 * message JSONs}.
 */
export const READ_AFTER = `${LUA_READ}
prune(KEYS[1], KEYS[2], ARGV[2])
local cap = tonumber(ARGV[5]) or math.huge
local out, more = collect(KEYS[1], KEYS[2], ARGV[1], 'ZRANGEBYSCORE', '(' .. ARGV[3], '+inf', tonumber(ARGV[4]), cap)
return {more, out}
`;

/**
 * The newest unexpired messages with seq < before ('' for none), at most limit and maxBytes,
 * newest first. KEYS: idx, exp. ARGV: base, now, before, limit, maxBytes (optional).
 * Returns {hasMore (0|1), message JSONs}.
 */
export const READ_BEFORE = `${LUA_READ}
prune(KEYS[1], KEYS[2], ARGV[2])
local cap = tonumber(ARGV[5]) or math.huge
local edge = ARGV[3] == '' and '+inf' or '(' .. ARGV[3]
local out, more = collect(KEYS[1], KEYS[2], ARGV[1], 'ZREVRANGEBYSCORE', edge, '-inf', tonumber(ARGV[4]), cap)
return {more, out}
`;

/** Records that a user has a room with messages until expiresAt. KEYS: rooms. ARGV: room, expiresAt, ttl. */
export const TOUCH_USER_ROOM = `${LUA_EXTEND}
redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[1])
extend(KEYS[1], ARGV[3])
`;

/** Redis' clock in epoch ms (TIME: allowed in a writing script since Redis replicates effects). */
const LUA_CLOCK = `
local time = redis.call('TIME')
local clock = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * What became of sends whose script call failed without a reply (see send-settler.ts).
 * KEYS: the sends' message keys. Returns {Redis' clock in ms, then per key its value or ''}.
 */
export const LOOK_SENDS = `${LUA_CLOCK}
local out = {clock}
for i = 1, #KEYS do out[i + 1] = redis.call('GET', KEYS[i]) or '' end
return out
`;

/**
 * Undoes a send its caller was told failed but that Redis may have stored (its reply was lost):
 * only once Redis' clock is past the send's deadline (no late run of APPEND can store it after
 * this), and only the exact copy that send built (`head .. seq .. tail`), never a later one.
 * KEYS: idx, exp, message key. ARGV: id, deadline, head, tail. Returns 1 undone, 0 nothing of
 * that send stored, -1 deadline not yet past by Redis' clock (try again later).
 */
export const UNDO_SEND = `${LUA_CLOCK}
if clock <= tonumber(ARGV[2]) then return -1 end
local m = redis.call('GET', KEYS[3])
local head, tail = ARGV[3], ARGV[4]
if not m or #m < #head + #tail or string.sub(m, 1, #head) ~= head or string.sub(m, -#tail) ~= tail then
  return 0
end
redis.call('DEL', KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;
