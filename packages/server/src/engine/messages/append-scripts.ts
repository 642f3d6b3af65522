/**
 * Lua for a room's writes (see redis-keys.ts). The room's keys share its hash tag, so they sit on
 * one slot (Redis Cluster); the members' room indexes do not, so they are touched separately.
 */

import { messageEventPrefix } from '@ephemeral-chat/protocol';
import { NO_ORIGIN } from '../bus/redis-bus.js';
import { LUA_EXTEND } from '../redis/lua-extend.js';
import { offsetIn, sizeOf } from '../redis/lua-layout.js';
import { LUA_PRUNE } from './lua-prune.js';
import { UNSEEN_KEEP_MS } from './retention.js';

/**
 * APPEND's ARGV before the sends' fields: this node's bus tag, the batch's deadline (every send
 * of a call shares the call's timeout, so they share one deadline), and the prefix of a user's
 * channel (`P` + `user:`, see delivery/topics.ts): the script appends the member id; '' on a
 * Redis Cluster, where a user's channel lies on another slot: the caller publishes those frames.
 * `pub`: how a group's room channel is published, PUBLISH or (Cluster) SPUBLISH.
 */
export const APPEND_ARGV = { tag: 1, deadline: 2, users: 3, pub: 4 } as const;
/** APPEND's KEYS: one block per send. */
export const APPEND_SEND_KEYS = { seq: 1, idx: 2, exp: 3, message: 4, read: 5, burns: 6 } as const;
/**
 * APPEND's ARGV: one block per send, after APPEND_ARGV. `mine`: bit 0 set when this node
 * subscribes to the sender's channel, bit 1 to the recipient's; `burn` 0 for none. `chan`: for a
 * group send, its room's channel (then `to` is empty); empty for a 1:1 send.
 */
export const APPEND_SEND_ARGV = {
  now: 1,
  ttl: 2,
  head: 3,
  tail: 4,
  id: 5,
  from: 6,
  to: 7,
  mine: 8,
  burn: 9,
  chan: 10,
} as const;

const KEYS_PER_SEND = sizeOf(APPEND_SEND_KEYS);
const FIELDS_PER_SEND = sizeOf(APPEND_SEND_ARGV);
/** Lua for a field of the send whose fields start at ARGV[a]. */
const f = (name: keyof typeof APPEND_SEND_ARGV) => offsetIn(APPEND_SEND_ARGV, name, 'a');
/** Lua for a key of the send whose keys follow KEYS[k]. */
const k = (name: keyof typeof APPEND_SEND_KEYS) => `KEYS[k + ${APPEND_SEND_KEYS[name]}]`;

/**
 * The message event as a single-quoted Lua string: the protocol's encoder owns the bytes, the
 * script only appends the message and the closing `}` (encode.test.ts keeps the prefix free of `'`
 * or `\`, so it needs no escaping).
 */
const LUA_MESSAGE_EVENT_PREFIX = `'${messageEventPrefix}'`;

/**
 * Sends, each atomic, several per round trip: a node gathers the sends of one event-loop turn
 * into one call, so Redis parses one command and enters Lua once for all of them.
 * KEYS: APPEND_SEND_KEYS per send (the message's own key is named by its id, sender and
 * clientMsgId, so it is also what makes a retry idempotent). ARGV: APPEND_ARGV (this node's tag,
 * see bus/redis-bus.ts, the deadline and the user channel prefix), then APPEND_SEND_ARGV per send.
 * The message JSON is built in JS except its seq, spliced in here as `head .. seq .. tail`: cjson
 * would print a seq near 1.7e12 as a float.
 * Returns {duplicate (0|1|2), message JSON} per message, flattened; 2 (and '') for a send that
 * ran past its deadline and did nothing.
 *
 * The deadline (epoch ms) is the moment after which the caller was told the send failed. A
 * command that timed out at the node is still in Redis' input (a stall) or resent after a
 * reconnect; checked against Redis' own clock (TIME; allowed in a writing script since Redis
 * replicates scripts by effects), such a late send stores and publishes nothing.
 *
 * Read state (read-state-scripts.ts) rides along: the sender's read seq moves to the new message
 * (settling the sender's pending count `u:` into its unseen-expired count `x:` first, only when
 * it had peer messages pending), and the recipient's `u:` grows by one. A burn message is also
 * listed in the recipient's burn set (`P{room}:burn:<to>`), which the recipient's read consumes.
 *
 * A member's channel gets the frame only when it has a subscriber besides the calling node
 * (`mine`): the caller delivers to its own sockets itself, so a chat whose members share a node
 * costs no pub/sub at all. Subscribing and this check are ordered by Redis, so a node that
 * subscribes after it simply reads the message on resume.
 *
 * A group send (`chan` set, `to` empty) publishes once on the room's channel, with no node's tag:
 * every node serving a member, the caller too, takes it from its subscriber connection, behind
 * any membership change published before it (a removed member's node has dropped them from the
 * room by then). Groups keep no unseen-expired accounting (`u:`), and their burn set is shared.
 */
export const APPEND = `${LUA_PRUNE}
local tag, users, pub = ARGV[${APPEND_ARGV.tag}], ARGV[${APPEND_ARGV.users}], ARGV[${APPEND_ARGV.pub}]
local time = redis.call('TIME')
local late = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > tonumber(ARGV[${APPEND_ARGV.deadline}])

local function publish(member, mine, msg, frame)
  local channel = users .. member
  if redis.call('PUBSUB', 'NUMSUB', channel)[2] > mine then
    frame = frame or tag .. ${LUA_MESSAGE_EVENT_PREFIX} .. msg .. '}'
    redis.call('PUBLISH', channel, frame)
  end
  return frame
end

local function append(seqKey, idx, exp, key, read, burns, a)
  if late then return 2, '' end
  local now, ttl, id = tonumber(ARGV[${f('now')}]), ARGV[${f('ttl')}], ARGV[${f('id')}]
  local from, to, burn = ARGV[${f('from')}], ARGV[${f('to')}], tonumber(ARGV[${f('burn')}])
  -- A retry of a message that is still live gets the first one back; an id whose message has
  -- expired is stored anew (its index entries are simply rescored).
  local prior = redis.call('GET', key)
  if prior then
    local expires = redis.call('ZSCORE', exp, id)
    if expires and tonumber(expires) > now then return 1, prior end
  end
  prune(idx, exp, ARGV[${f('now')}])
  -- The sender had peer messages pending (after its read seq): those still live are now read,
  -- the others expired unseen.
  local state = redis.call('HMGET', read, from, 'u:' .. from)
  local pending = tonumber(state[2] or '0')
  if pending > 0 then
    local live = redis.call('ZCOUNT', idx, '(' .. (state[1] or '0'), '+inf')
    if pending > live then redis.call('HINCRBY', read, 'x:' .. from, pending - live) end
  end
  local seq
  if redis.call('ZCARD', idx) > 0 then seq = redis.call('INCR', seqKey) end
  if not seq or seq == 1 then
    -- A room with no live message is forgotten: restart at the clock, never below the last seq
    -- (1 means the seq key had gone while index entries remained: restart likewise).
    seq = math.max(now, tonumber(redis.call('GET', seqKey) or '0') + 1)
    redis.call('SET', seqKey, string.format('%d', seq), 'PX', ttl)
  end
  local s = string.format('%d', seq)
  local msg = ARGV[${f('head')}] .. s .. ARGV[${f('tail')}]
  redis.call('SET', key, msg, 'PX', ttl)
  redis.call('ZADD', idx, s, id)
  redis.call('ZADD', exp, string.format('%d', now + tonumber(ttl)), id)
  if burn > 0 then
    -- The recipient's burn set: always long enough for this message (the room's keys may not
    -- need extending for it, but this set is only written by burn sends).
    redis.call('ZADD', burns, s, id)
    if redis.call('PTTL', burns) < tonumber(ttl) then redis.call('PEXPIRE', burns, ttl) end
  end
  -- Sending reads the room up to one's own message, so every message after a member's read seq
  -- is the peer's and unread is a ZCOUNT (read-state-scripts.ts). A plain HSET never lowers it:
  -- a read is clamped to the room's latest seq, and this seq is newer than any before it.
  local first = false
  if pending > 0 then
    redis.call('HSET', read, from, s, 'u:' .. from, '0')
  else
    first = redis.call('HSET', read, from, s) == 1
  end
  if to ~= from and to ~= '' then redis.call('HINCRBY', read, 'u:' .. to, 1) end
  -- The room's keys are extended together, so one PTTL answers for them (seq never has less
  -- time left than idx), and with a little slack (a tenth of the TTL, at most a minute), so a
  -- busy room extends them now and then rather than on every message. The read state outlives
  -- them by UNSEEN_KEEP_MS (unseen-expired counts).
  if redis.call('PTTL', idx) < tonumber(ttl) then
    local keep = ttl + math.min(math.floor(ttl / 10), 60000)
    redis.call('PEXPIRE', idx, keep)
    redis.call('PEXPIRE', exp, keep)
    redis.call('PEXPIRE', seqKey, keep)
    redis.call('PEXPIRE', read, keep + ${UNSEEN_KEEP_MS})
  elseif first and redis.call('PTTL', read) < 0 then
    -- A read key created beside an index that needed no extending (a room from before read state).
    redis.call('PEXPIRE', read, redis.call('PTTL', idx) + ${UNSEEN_KEEP_MS})
  end
  local chan = ARGV[${f('chan')}]
  if chan ~= '' then
    redis.call(pub, chan, '${NO_ORIGIN}' .. ${LUA_MESSAGE_EVENT_PREFIX} .. msg .. '}')
    return 0, msg
  end
  if users == '' then return 0, msg end
  local mine = tonumber(ARGV[${f('mine')}])
  local frame = publish(from, mine % 2, msg, nil)
  if to ~= from then publish(to, math.floor(mine / 2) % 2, msg, frame) end
  return 0, msg
end

local out = {}
for i = 0, #KEYS / ${KEYS_PER_SEND} - 1 do
  local k = i * ${KEYS_PER_SEND}
  local duplicate, msg = append(${k('seq')}, ${k('idx')}, ${k('exp')}, ${k('message')}, ${k('read')}, ${k('burns')}, ${sizeOf(APPEND_ARGV) + 1} + i * ${FIELDS_PER_SEND})
  out[#out + 1] = duplicate
  out[#out + 1] = msg
end
return out
`;

/** TOUCH_USER_ROOM's ARGV (KEYS[1]: the member's room index). */
export const TOUCH_ARGV = { room: 1, score: 2, ttl: 3 } as const;

/** Records that a user has a room with messages until `score` (the latest expiresAt, with slack). */
export const TOUCH_USER_ROOM = `${LUA_EXTEND}
redis.call('ZADD', KEYS[1], 'GT', ARGV[${TOUCH_ARGV.score}], ARGV[${TOUCH_ARGV.room}])
extend(KEYS[1], ARGV[${TOUCH_ARGV.ttl}])
`;
