import { type ChatSettings, expiry } from '@ephemeral-chat/protocol';
import type { SettingsPatch, SettingsResult } from './message-store.js';

/**
 * A room's settings after a patch (a field left out keeps its value, `burn: null` removes it),
 * refused when the effective burn would exceed the effective ttl (else expiry.defaultTtlMs). The
 * memory engine applies it as is; the Redis script does the same in Lua (settings-scripts.ts).
 */
export function patchSettings(current: ChatSettings, patch: SettingsPatch): SettingsResult {
  const ttl = patch.ttl ?? current.ttl;
  const burn = patch.burn === null ? undefined : (patch.burn ?? current.burn);
  if (burn !== undefined && burn > (ttl ?? expiry.defaultTtlMs)) return { ok: false };
  return {
    ok: true,
    settings: { ...(ttl === undefined ? {} : { ttl }), ...(burn === undefined ? {} : { burn }) },
  };
}
