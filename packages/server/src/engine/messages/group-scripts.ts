/**
 * Lua for a group room's read state. A group keeps the same `P{room}:read` hash as a 1:1 room
 * (read-state-scripts.ts) with only the read seqs (no `u:`/`x:` unseen-expired accounting), one
 * shared burn set `P{room}:burn`, and publishes its events once on the room's channel with no
 * node's tag (every node serving a member, the caller included, takes them from Redis: the same
 * order as the room's messages; see APPEND).
 */

import { NO_ORIGIN } from '../bus/redis-bus.js';
import { sizeOf } from '../redis/lua-layout.js';
import { LUA_BURN } from './lua-burn.js';
import { LUA_PRUNE } from './lua-prune.js';
import { UNSEEN_KEEP_MS } from './retention.js';

/** GROUP_READ's KEYS. */
export const GROUP_READ_KEYS = { idx: 1, exp: 2, seq: 3, read: 4, burns: 5 } as const;
/** GROUP_READ's ARGV; the group's current member ids follow them. */
export const GROUP_READ_ARGV = {
  chan: 1,
  users: 2,
  deadline: 3,
  room: 4,
  member: 5,
  seq: 6,
  now: 7,
  max: 8,
  pub: 9,
} as const;

/**
 * A read covering at most this many messages from at most GROUP_READ_SENDERS_MAX other senders
 * tells only the reader and those senders; a wider one tells the whole room.
 */
export const GROUP_READ_SPAN_MAX = 256;
export const GROUP_READ_SENDERS_MAX = 16;

/**
 * A member's read of a group room: prunes; raises the member's read seq to the mark's seq clamped
 * to the room's latest (only while the room holds a live message); then starts the burn of every
 * burn message with seq ≤ the lowest read seq among the members listed (at most `max`). Events:
 * `read` when the seq moved, `expiry` (no text) per burn started.
 * On a Redis Cluster (`users` empty) a read told to its reader and senders only comes back
 * followed by the list of their ids, and the caller publishes it to their channels.
 * Returns {seq after, moved (0|1), more burns waiting (0|1), then the events' JSON}; {-1} past the
 * deadline (Redis' clock): its caller was told it failed, so nothing is marked.
 */
export const GROUP_READ = `${LUA_PRUNE}${LUA_BURN}
local idx, exp, seqKey = KEYS[${GROUP_READ_KEYS.idx}], KEYS[${GROUP_READ_KEYS.exp}], KEYS[${GROUP_READ_KEYS.seq}]
local read, burns = KEYS[${GROUP_READ_KEYS.read}], KEYS[${GROUP_READ_KEYS.burns}]
local chan, room, member = ARGV[${GROUP_READ_ARGV.chan}], ARGV[${GROUP_READ_ARGV.room}], ARGV[${GROUP_READ_ARGV.member}]
local users, pub = ARGV[${GROUP_READ_ARGV.users}], ARGV[${GROUP_READ_ARGV.pub}]
local wanted, nowArg = tonumber(ARGV[${GROUP_READ_ARGV.seq}]), ARGV[${GROUP_READ_ARGV.now}]
local now, max = tonumber(nowArg), tonumber(ARGV[${GROUP_READ_ARGV.max}])
local time = redis.call('TIME')
if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > tonumber(ARGV[${GROUP_READ_ARGV.deadline}]) then
  return {-1}
end
prune(idx, exp, nowArg)
local stored = tonumber(redis.call('HGET', read, member) or '0')
local ttl = redis.call('PTTL', idx)
local seq, moved = stored, 0
if ttl > 0 then
  local want = math.min(wanted, tonumber(redis.call('GET', seqKey) or '0'))
  if want > stored then
    seq, moved = want, 1
    redis.call('HSET', read, member, string.format('%d', seq))
    if redis.call('PTTL', read) < 0 then redis.call('PEXPIRE', read, ttl + ${UNSEEN_KEEP_MS}) end
  end
end
local out = {seq, moved, 0}
local inRoom = ',"room":"' .. room .. '"'
local function emit(event)
  redis.call(pub, chan, '${NO_ORIGIN}' .. event)
  out[#out + 1] = event
end
if moved == 1 then
  local event = '{"type":"read"' .. inRoom .. ',"userId":"' .. member .. '","seq":' .. string.format('%d', seq) .. '}'
  -- Ids are <from>:<clientMsgId> (user ids hold no ':').
  local ids = redis.call('ZRANGEBYSCORE', idx, '(' .. string.format('%d', stored), string.format('%d', seq), 'LIMIT', 0, ${GROUP_READ_SPAN_MAX + 1})
  local to, seen = {member}, {[member] = true}
  local wide = #ids > ${GROUP_READ_SPAN_MAX}
  for i = 1, #ids do
    if wide then break end
    local from = string.match(ids[i], '^([^:]+):')
    if from and not seen[from] then
      seen[from] = true
      to[#to + 1] = from
      wide = #to > ${GROUP_READ_SENDERS_MAX + 1}
    end
  end
  if wide then
    emit(event)
  elseif users == '' then
    -- A Cluster: the members' channels are on other slots; the caller publishes to them.
    out[#out + 1] = event
    out[#out + 1] = to
  else
    for i = 1, #to do redis.call('PUBLISH', users .. to[i], '${NO_ORIGIN}' .. event) end
    out[#out + 1] = event
  end
end
if ttl > 0 and #ARGV > ${sizeOf(GROUP_READ_ARGV)} then
  -- Every member listed has read up to floor: the burns up to it may start.
  local seqs = redis.call('HMGET', read, unpack(ARGV, ${sizeOf(GROUP_READ_ARGV) + 1}))
  local floor = seq
  for i = 1, #seqs do floor = math.min(floor, tonumber(seqs[i] or '0')) end
  local base = string.sub(idx, 1, #idx - 3)
  local ids = redis.call('ZRANGEBYSCORE', burns, '-inf', string.format('%d', floor), 'WITHSCORES', 'LIMIT', 0, max + 1)
  local done = {}
  for i = 1, #ids, 2 do
    if #done >= max then out[3] = 1 break end
    local id = ids[i]
    done[#done + 1] = id
    local a = burnMessage(base, exp, id, now)
    if a then
      emit('{"type":"expiry"' .. inRoom .. ',"seq":' .. string.format('%d', tonumber(ids[i + 1])) .. ',"expiresAt":' .. a .. '}')
    end
  end
  if #done > 0 then redis.call('ZREM', burns, unpack(done)) end
end
return out
`;

/** GROUP_JOIN's KEYS; ARGV: the new members' ids. */
export const GROUP_JOIN_KEYS = { idx: 1, seq: 2, read: 3 } as const;

/**
 * New members: each one's read seq is raised to the room's latest seq while the room holds a live
 * message (what came before they joined is not unread for them, and its burns do not wait for them).
 */
export const GROUP_JOIN = `
local idx, seqKey, read = KEYS[${GROUP_JOIN_KEYS.idx}], KEYS[${GROUP_JOIN_KEYS.seq}], KEYS[${GROUP_JOIN_KEYS.read}]
local ttl = redis.call('PTTL', idx)
if ttl <= 0 then return 0 end
local latest = redis.call('GET', seqKey)
if not latest then return 0 end
for i = 1, #ARGV do
  if tonumber(redis.call('HGET', read, ARGV[i]) or '0') < tonumber(latest) then
    redis.call('HSET', read, ARGV[i], latest)
  end
end
if redis.call('PTTL', read) < 0 then redis.call('PEXPIRE', read, ttl + ${UNSEEN_KEEP_MS}) end
return 1
`;
