/** Lua for pruning a room's indexes, in chunks (shared by the send and read scripts). */
export const LUA_PRUNE = `
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
