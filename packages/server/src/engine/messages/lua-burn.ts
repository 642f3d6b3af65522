/** Lua that starts one burn message's countdown (shared by the 1:1 and the group read scripts). */
export const LUA_BURN = `
-- The message key is the room's base + 'm:' + id. Its JSON ends in "burn":…,"expiresAt":…} (a
-- "burn": in the text is escaped), so both are read from the end without parsing the text. The
-- JSON's expiresAt, the exp score and the key's PX all become min(expiresAt, now + burn).
-- Returns the new expiresAt as a string, or nil when the message is gone or already ends sooner.
local function burnMessage(base, exp, id, now)
  local key = base .. 'm:' .. id
  local m = redis.call('GET', key)
  if not m then return nil end
  local b, e = string.match(m, '"burn":(%d+),"expiresAt":(%d+)}$')
  if not b then return nil end
  local at = now + tonumber(b)
  if at >= tonumber(e) then return nil end
  local a = string.format('%d', at)
  redis.call('SET', key, string.sub(m, 1, #m - #e - 1) .. a .. '}', 'PX', at - now)
  redis.call('ZADD', exp, 'XX', a, id)
  return a
end
`;
