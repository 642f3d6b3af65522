/** Lua for settling sends whose script call failed without a reply (see send-settler.ts). */

/** Redis' clock in epoch ms (TIME: allowed in a writing script since Redis replicates effects). */
const LUA_CLOCK = `
local time = redis.call('TIME')
local clock = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

/**
 * What became of sends whose script call failed without a reply.
 * KEYS: the sends' message keys. Returns {Redis' clock in ms, then per key its value or ''}.
 */
export const LOOK_SENDS = `${LUA_CLOCK}
local out = {clock}
for i = 1, #KEYS do out[i + 1] = redis.call('GET', KEYS[i]) or '' end
return out
`;

/** UNDO_SEND's KEYS. */
export const UNDO_KEYS = { idx: 1, exp: 2, message: 3 } as const;
/** UNDO_SEND's ARGV. */
export const UNDO_ARGV = { id: 1, deadline: 2, head: 3, tail: 4 } as const;

const K = UNDO_KEYS;
const A = UNDO_ARGV;

/**
 * Undoes a send its caller was told failed but that Redis may have stored (its reply was lost):
 * only once Redis' clock is past the send's deadline (no late run of APPEND can store it after
 * this), and only the exact copy that send built (`head .. seq .. tail`, its expiresAt possibly
 * lowered by a burn), never a later one.
 * Returns 1 undone, 0 nothing of that send stored, -1 deadline not yet past by Redis' clock (try
 * again later).
 */
export const UNDO_SEND = `${LUA_CLOCK}
if clock <= tonumber(ARGV[${A.deadline}]) then return -1 end
local m = redis.call('GET', KEYS[${K.message}])
if not m then return 0 end
-- Compared without the trailing expiresAt: a burn started by a read rewrites it.
local function core(s)
  local i = string.find(s, '"expiresAt":%d+}$')
  return i and string.sub(s, 1, i - 1) or s
end
local head, tail, mc = ARGV[${A.head}], core(ARGV[${A.tail}]), core(m)
if #mc < #head + #tail or string.sub(mc, 1, #head) ~= head or string.sub(mc, -#tail) ~= tail then
  return 0
end
redis.call('DEL', KEYS[${K.message}])
redis.call('ZREM', KEYS[${K.idx}], ARGV[${A.id}])
redis.call('ZREM', KEYS[${K.exp}], ARGV[${A.id}])
return 1
`;
