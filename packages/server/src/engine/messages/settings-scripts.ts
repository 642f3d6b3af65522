/** Lua for a room's settings: `P{room}:settings`, a hash `ttl`, `burn` beside the room's keys. */

import { expiry } from '@ephemeral-chat/protocol';
import { SETTINGS_KEEP_MS } from './retention.js';

/** SET_SETTINGS's ARGV (KEYS[1]: the settings hash): '' keeps a field, `burn` 'null' removes it. */
export const SETTINGS_ARGV = { ttl: 1, burn: 2 } as const;

/**
 * Applies a patch atomically (two members changing settings at once never combine into a burn
 * above the ttl), as settings-patch.ts does in memory. Kept SETTINGS_KEEP_MS after the change.
 * Returns {0} when refused, else {1, ttl or '', burn or ''}.
 */
export const SET_SETTINGS = `
local key = KEYS[1]
local cur = redis.call('HMGET', key, 'ttl', 'burn')
local ttl, burn = cur[1], cur[2]
local pt, pb = ARGV[${SETTINGS_ARGV.ttl}], ARGV[${SETTINGS_ARGV.burn}]
if pt ~= '' then ttl = pt end
if pb == 'null' then burn = false elseif pb ~= '' then burn = pb end
if burn and tonumber(burn) > tonumber(ttl or '${expiry.defaultTtlMs}') then return {0} end
if ttl then redis.call('HSET', key, 'ttl', ttl) end
if burn then redis.call('HSET', key, 'burn', burn) else redis.call('HDEL', key, 'burn') end
if redis.call('EXISTS', key) == 1 then redis.call('PEXPIRE', key, ${SETTINGS_KEEP_MS}) end
return {1, ttl or '', burn or ''}
`;
