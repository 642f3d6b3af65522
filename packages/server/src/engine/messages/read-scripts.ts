/**
 * Lua for a room's reads (see redis-keys.ts). Every script gets the room's key base (`P{room}:`)
 * to build message keys from index entries; they share the room's hash tag, so they sit on the
 * declared keys' slot (Redis Cluster allows that; it cannot know the entries before it runs).
 */

import { LUA_PRUNE } from './lua-prune.js';

/** READ_AFTER's and READ_BEFORE's KEYS. */
export const READ_KEYS = { idx: 1, exp: 2 } as const;
/** Their ARGV: `edge` is `after` or `before` ('' for none); `maxBytes` may be left out. */
export const READ_ARGV = { base: 1, now: 2, edge: 3, limit: 4, maxBytes: 5 } as const;

const K = READ_KEYS;
const A = READ_ARGV;

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
 * Unexpired messages with seq > after (the edge), ascending, at most limit and maxBytes.
 * Returns {hasMore (0|1), message JSONs}.
 */
export const READ_AFTER = `${LUA_READ}
prune(KEYS[${K.idx}], KEYS[${K.exp}], ARGV[${A.now}])
local cap = tonumber(ARGV[${A.maxBytes}]) or math.huge
local out, more = collect(KEYS[${K.idx}], KEYS[${K.exp}], ARGV[${A.base}], 'ZRANGEBYSCORE', '(' .. ARGV[${A.edge}], '+inf', tonumber(ARGV[${A.limit}]), cap)
return {more, out}
`;

/**
 * The newest unexpired messages with seq < before (the edge; '' for none), at most limit and
 * maxBytes, newest first. Returns {hasMore (0|1), message JSONs}.
 */
export const READ_BEFORE = `${LUA_READ}
prune(KEYS[${K.idx}], KEYS[${K.exp}], ARGV[${A.now}])
local cap = tonumber(ARGV[${A.maxBytes}]) or math.huge
local edge = ARGV[${A.edge}] == '' and '+inf' or '(' .. ARGV[${A.edge}]
local out, more = collect(KEYS[${K.idx}], KEYS[${K.exp}], ARGV[${A.base}], 'ZREVRANGEBYSCORE', edge, '-inf', tonumber(ARGV[${A.limit}]), cap)
return {more, out}
`;
