/**
 * Lua: give a key a TTL of at least `ttl` ms. `PEXPIRE … GT` alone does nothing on a key that has
 * no TTL yet (Redis counts that as infinite), so a fresh key (PTTL -1) gets its TTL directly and
 * an existing TTL only grows: the key lives as long as the longest-lived entry it holds.
 */
export const LUA_EXTEND = `
local function extend(key, ttl)
  if redis.call('PTTL', key) < tonumber(ttl) then redis.call('PEXPIRE', key, ttl) end
end
`;
