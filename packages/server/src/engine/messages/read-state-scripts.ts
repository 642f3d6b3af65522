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

import { offsetIn, sizeOf } from '../redis/lua-layout.js';
import { LUA_BURN } from './lua-burn.js';
import { LUA_PRUNE } from './lua-prune.js';
import { UNSEEN_KEEP_MS } from './retention.js';

/** MARKS' ARGV before the marks' fields. */
export const MARKS_ARGV = { tag: 1, users: 2, max: 3, deadline: 4 } as const;
/** MARKS' KEYS: one block per mark (`burns`: the member's burn set, `P{room}:burn:<member>`). */
export const MARK_KEYS = { idx: 1, exp: 2, seq: 3, read: 4, burns: 5 } as const;
/**
 * MARKS' ARGV: one block per mark, after MARKS_ARGV. `kind`: `r` read, `d` delivered. `mine`: bit 1
 * when this node subscribes to the member's channel, bit 2 to the peer's (see RedisBus.lease).
 */
export const MARK_ARGV = { kind: 1, room: 2, member: 3, peer: 4, seq: 5, mine: 6, now: 7 } as const;

const KEYS_PER_MARK = sizeOf(MARK_KEYS);
const FIELDS_PER_MARK = sizeOf(MARK_ARGV);
/** Lua for a field of the mark whose fields start at ARGV[a]. */
const f = (name: keyof typeof MARK_ARGV) => offsetIn(MARK_ARGV, name, 'a');
/** Lua for a key of the mark whose keys follow KEYS[k]. */
const k = (name: keyof typeof MARK_KEYS) => `KEYS[k + ${MARK_KEYS[name]}]`;

/** Where a mark's event goes, in MARKS' reply. */
export const EVENT_TO = { member: 1, peer: 2, both: 3 } as const;

/**
 * Read and delivered marks, each atomic, several per round trip: a node gathers the marks of one
 * event-loop turn into one call (as the sends: append-batcher.ts), and the script publishes their
 * events itself, only to channels another node subscribes to; the node hands them to its own
 * sockets (the same NUMSUB rule as APPEND). Events name rooms and members as they are: a room id
 * is `[A-Za-z0-9:-]` (the protocol's roomIdSchema) and its members come from it, so they need no
 * JSON escaping.
 *
 * A read mark prunes; settles the member's unseen-expired count; raises the read seq to the mark's
 * seq clamped to the room's latest (only while the room holds a live message); starts the burn of
 * the member's burn messages with seq ≤ the read seq (at most `max`: their JSON's trailing
 * expiresAt, the `exp` score and the key's PX all become min(expiresAt, now + burn)); then resets
 * the unseen-expired count to 0 and `u` to the live messages after the read seq. A room with no
 * state at all keeps nothing. Events: `read` to both when the seq moved, `unseen` to the member
 * when a count was cleared, `expiry` to both per burn started.
 *
 * A delivered mark raises `d:<member>` to the mark's seq clamped to the room's latest, when that
 * passes both the delivered and the read seq (a read counts as delivered); only while the room
 * holds a live message. Event: `delivered` to the peer when it moved.
 *
 * Returns per mark {seq after, moved (0|1), unseen count cleared, more burns waiting (0|1),
 * n events, then n × (EVENT_TO, event JSON)}, flattened; or {-1} when Redis' clock is past the
 * batch's deadline (epoch ms): its caller was told it failed, so nothing is marked (see APPEND).
 */
export const MARKS = `${LUA_PRUNE}${LUA_BURN}
local tag, users = ARGV[${MARKS_ARGV.tag}], ARGV[${MARKS_ARGV.users}]
local max = tonumber(ARGV[${MARKS_ARGV.max}])
local time = redis.call('TIME')
if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > tonumber(ARGV[${MARKS_ARGV.deadline}]) then
  return {-1}
end
local out = {}

local function emit(member, peer, mine, to, event)
  if users == '' then
    -- A Cluster: the members' channels are on other slots; the caller publishes the event.
  elseif to ~= ${EVENT_TO.peer} and redis.call('PUBSUB', 'NUMSUB', users .. member)[2] > mine % 2 then
    redis.call('PUBLISH', users .. member, tag .. event)
  end
  if users ~= '' and to ~= ${EVENT_TO.member} and redis.call('PUBSUB', 'NUMSUB', users .. peer)[2] > math.floor(mine / 2) % 2 then
    redis.call('PUBLISH', users .. peer, tag .. event)
  end
  out[#out + 1] = to
  out[#out + 1] = event
end

local function read(idx, exp, seqKey, readKey, burns, room, member, peer, wanted, mine, nowArg, head)
  local now = tonumber(nowArg)
  local base = string.sub(idx, 1, #idx - 3)
  prune(idx, exp, nowArg)
  local state = redis.call('HMGET', readKey, member, 'u:' .. member, 'x:' .. member)
  local stored = tonumber(state[1] or '0')
  local pending = tonumber(state[2] or '0')
  local unseen = tonumber(state[3] or '0')
  local live = redis.call('ZCOUNT', idx, '(' .. string.format('%d', stored), '+inf')
  if pending > live then unseen = unseen + pending - live end
  local ttl = redis.call('PTTL', idx)
  local seq, moved = stored, 0
  if ttl > 0 then
    local want = math.min(wanted, tonumber(redis.call('GET', seqKey) or '0'))
    if want > stored then seq, moved = want, 1 end
  end
  local s = string.format('%d', seq)
  out[head], out[head + 1], out[head + 2] = seq, moved, unseen
  local r = '{"type":'
  local inRoom = ',"room":"' .. room .. '"'
  if moved == 1 then
    emit(member, peer, mine, ${EVENT_TO.both}, r .. '"read"' .. inRoom .. ',"userId":"' .. member .. '","seq":' .. s .. '}')
  end
  if unseen > 0 then
    emit(member, peer, mine, ${EVENT_TO.member}, r .. '"unseen"' .. inRoom .. ',"unseenExpired":0}')
  end
  if ttl > 0 then
    local ids = redis.call('ZRANGEBYSCORE', burns, '-inf', s, 'WITHSCORES', 'LIMIT', 0, max + 1)
    local done = {}
    for i = 1, #ids, 2 do
      if #done >= max then out[head + 3] = 1 break end
      local id = ids[i]
      done[#done + 1] = id
      local a = burnMessage(base, exp, id, now)
      if a then
        local burned = string.format('%d', tonumber(ids[i + 1]))
        emit(member, peer, mine, ${EVENT_TO.both}, r .. '"expiry"' .. inRoom .. ',"seq":' .. burned .. ',"expiresAt":' .. a .. '}')
      end
    end
    if #done > 0 then redis.call('ZREM', burns, unpack(done)) end
  end
  if moved == 1 or pending > 0 or state[3] then
    redis.call('HSET', readKey, member, s, 'u:' .. member, redis.call('ZCOUNT', idx, '(' .. s, '+inf'))
    redis.call('HDEL', readKey, 'x:' .. member)
    if redis.call('PTTL', readKey) < 0 then
      redis.call('PEXPIRE', readKey, math.max(ttl, 0) + ${UNSEEN_KEEP_MS})
    end
  end
end

local function delivered(idx, seqKey, readKey, room, member, peer, wanted, mine, head)
  local state = redis.call('HMGET', readKey, member, 'd:' .. member)
  local current = math.max(tonumber(state[1] or '0'), tonumber(state[2] or '0'))
  out[head] = current
  local ttl = redis.call('PTTL', idx)
  if ttl <= 0 then return end
  local want = math.min(wanted, tonumber(redis.call('GET', seqKey) or '0'))
  if want <= current then return end
  local w = string.format('%d', want)
  redis.call('HSET', readKey, 'd:' .. member, w)
  if redis.call('PTTL', readKey) < 0 then redis.call('PEXPIRE', readKey, ttl + ${UNSEEN_KEEP_MS}) end
  out[head], out[head + 1] = want, 1
  emit(member, peer, mine, ${EVENT_TO.peer}, '{"type":"delivered","room":"' .. room .. '","userId":"' .. member .. '","seq":' .. w .. '}')
end

for i = 0, #KEYS / ${KEYS_PER_MARK} - 1 do
  local k = i * ${KEYS_PER_MARK}
  local a = ${sizeOf(MARKS_ARGV) + 1} + i * ${FIELDS_PER_MARK}
  local head = #out + 1
  out[head], out[head + 1], out[head + 2], out[head + 3], out[head + 4] = 0, 0, 0, 0, 0
  local room, member, peer = ARGV[${f('room')}], ARGV[${f('member')}], ARGV[${f('peer')}]
  local wanted, mine = tonumber(ARGV[${f('seq')}]), tonumber(ARGV[${f('mine')}])
  if ARGV[${f('kind')}] == 'r' then
    read(${k('idx')}, ${k('exp')}, ${k('seq')}, ${k('read')}, ${k('burns')}, room, member, peer, wanted, mine, ARGV[${f('now')}], head)
  else
    delivered(${k('idx')}, ${k('seq')}, ${k('read')}, room, member, peer, wanted, mine, head)
  end
  out[head + 4] = (#out - head - 4) / 2
end
return out
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
