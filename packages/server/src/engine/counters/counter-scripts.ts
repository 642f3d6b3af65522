import { type Layout, sizeOf } from '../redis/lua-layout.js';

/** HIT_COUNTER's ARGV (KEYS[1]: the counter). */
export const HIT_ARGV = { windowMs: 1 } as const;

/** RESERVE_COUNTERS' ARGV: one block per key, in the keys' order. */
export const RESERVE_BUDGET_ARGV = { max: 1, windowMs: 2, outlive: 3 } as const;

/** Lua for a field of the i-th (1-based) block of `layout`: `ARGV[3 * i - 2]` and the like. */
function blockArg(layout: Layout, name: string): string {
  const size = sizeOf(layout);
  const back = size - (layout[name] as number);
  return back === 0 ? `ARGV[${size} * i]` : `ARGV[${size} * i - ${back}]`;
}

const budget = (name: keyof typeof RESERVE_BUDGET_ARGV) => blockArg(RESERVE_BUDGET_ARGV, name);

/** INCR a fixed-window counter; the window (PEXPIRE) starts at the first hit. One round trip. */
export const HIT_COUNTER = `
local c = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[${HIT_ARGV.windowMs}])
  t = tonumber(ARGV[${HIT_ARGV.windowMs}])
end
return {c, t}
`;

/**
 * Checks every budget, then hits all of them or none: one script, so concurrent callers on any
 * node are counted one by one. KEYS: the counters; ARGV: max, windowMs, outlive (1/0) per key.
 * Returns {1} when reserved, {0, ms until the longest spent window ends} when refused.
 */
export const RESERVE_COUNTERS = `
local refused = false
local wait = 0
for i = 1, #KEYS do
  local c = tonumber(redis.call('GET', KEYS[i]) or '0')
  if c >= tonumber(${budget('max')}) then
    refused = true
    wait = math.max(wait, redis.call('PTTL', KEYS[i]))
  end
end
if refused then return {0, wait} end
local ttls = {}
local latest = 0
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i])
  local t = redis.call('PTTL', KEYS[i])
  if t < 0 then
    t = tonumber(${budget('windowMs')})
    redis.call('PEXPIRE', KEYS[i], t)
  end
  ttls[i] = t
  latest = math.max(latest, t)
end
for i = 1, #KEYS do
  if ${budget('outlive')} == '1' and ttls[i] < latest then redis.call('PEXPIRE', KEYS[i], latest) end
end
return {1, 0}
`;

/** DECR that never goes below zero nor creates a key, so the window is kept. */
export const REFUND_COUNTER = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;
