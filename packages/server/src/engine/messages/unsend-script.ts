/**
 * Lua for unsending a message (see MessageStore.unsend): one script call, atomic, on the room's
 * slot. It finds the message id by seq in `idx` (after pruning what expired by the caller's
 * clock, so an expired message is not found), checks that the id names the sender (ids are
 * `<from>:<clientMsgId>`, and user ids hold no `:`: roomIdSchema), then deletes the message key
 * and its `idx`, `exp` and burn-set entries. When the message was after the recipient's read seq,
 * the recipient's `u:` drops by one, as the live count after the read seq does: it was neither
 * read nor will it expire unseen (read-state-scripts.ts: unseenExpired = x + u − live).
 *
 * In a group room `to` is empty and `users` is the room's channel: the event goes once on it with
 * no node's tag (every node takes it from Redis, as the group's messages: APPEND), and there is
 * no unseen-expired accounting to correct.
 */

import { NO_ORIGIN } from '../bus/redis-bus.js';
import { LUA_PRUNE } from './lua-prune.js';

/** UNSEND's KEYS (`burns`: the recipient's burn set, `P{room}:burn:<to>`). */
export const UNSEND_KEYS = { idx: 1, exp: 2, read: 3, burns: 4 } as const;
/**
 * UNSEND's ARGV: `tag` and `users` as for MARKS; `mine` bit 1 when this node subscribes to the
 * sender's channel, bit 2 to the recipient's (RedisBus.lease); `deadline` epoch ms.
 */
export const UNSEND_ARGV = {
  tag: 1,
  users: 2,
  deadline: 3,
  room: 4,
  from: 5,
  to: 6,
  seq: 7,
  mine: 8,
  now: 9,
  pub: 10,
} as const;

/** UNSEND's reply's first element. */
export const UNSEND_REPLY = { late: -1, notFound: 0, unsent: 1, notSender: 2 } as const;

/**
 * Returns {UNSEND_REPLY.unsent, event JSON} or {other UNSEND_REPLY}. Past the deadline (Redis'
 * clock) nothing happens: its caller was told it failed. The `unsent` event (no text) goes only to
 * the channels another node subscribes to; the node hands it to its own sockets.
 */
export const UNSEND = `${LUA_PRUNE}
local idx, exp, read, burns = KEYS[${UNSEND_KEYS.idx}], KEYS[${UNSEND_KEYS.exp}], KEYS[${UNSEND_KEYS.read}], KEYS[${UNSEND_KEYS.burns}]
local tag, users, pub = ARGV[${UNSEND_ARGV.tag}], ARGV[${UNSEND_ARGV.users}], ARGV[${UNSEND_ARGV.pub}]
local room, from, to = ARGV[${UNSEND_ARGV.room}], ARGV[${UNSEND_ARGV.from}], ARGV[${UNSEND_ARGV.to}]
local seq, mine = tonumber(ARGV[${UNSEND_ARGV.seq}]), tonumber(ARGV[${UNSEND_ARGV.mine}])
local time = redis.call('TIME')
if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > tonumber(ARGV[${UNSEND_ARGV.deadline}]) then
  return {${UNSEND_REPLY.late}}
end
prune(idx, exp, ARGV[${UNSEND_ARGV.now}])
local s = string.format('%d', seq)
local id = redis.call('ZRANGEBYSCORE', idx, s, s, 'LIMIT', 0, 1)[1]
if not id then return {${UNSEND_REPLY.notFound}} end
if string.sub(id, 1, #from + 1) ~= from .. ':' then return {${UNSEND_REPLY.notSender}} end
redis.call('DEL', string.sub(idx, 1, #idx - 3) .. 'm:' .. id)
redis.call('ZREM', idx, id)
redis.call('ZREM', exp, id)
redis.call('ZREM', burns, id)
local event = '{"type":"unsent","room":"' .. room .. '","seq":' .. s .. '}'
if to == '' then
  redis.call(pub, users, '${NO_ORIGIN}' .. event)
  return {${UNSEND_REPLY.unsent}, event}
end
local state = redis.call('HMGET', read, to, 'u:' .. to)
if seq > tonumber(state[1] or '0') and tonumber(state[2] or '0') > 0 then
  redis.call('HINCRBY', read, 'u:' .. to, -1)
end
-- On a Cluster (users '') the members' channels are on other slots: the caller publishes.
if users == '' then return {${UNSEND_REPLY.unsent}, event} end
if redis.call('PUBSUB', 'NUMSUB', users .. from)[2] > mine % 2 then
  redis.call('PUBLISH', users .. from, tag .. event)
end
if redis.call('PUBSUB', 'NUMSUB', users .. to)[2] > math.floor(mine / 2) % 2 then
  redis.call('PUBLISH', users .. to, tag .. event)
end
return {${UNSEND_REPLY.unsent}, event}
`;
