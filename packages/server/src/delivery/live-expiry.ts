import { messageEventPrefix } from '@ephemeral-chat/protocol';

/**
 * True when `payload` is a `message` event whose message has expired by `now`: such a frame is
 * never delivered live (a publish that ran late, or sat in a queue). The stored JSON ends with its
 * `expiresAt` field (see the send script and MemoryMessages), so the frame ends with
 * `"expiresAt":<ms>}}` and is read from the end without parsing the text. A `"expiresAt":` inside
 * the text is escaped (`\"`), so the last match is the real field.
 */
export function isExpiredMessage(payload: string, now: number): boolean {
  // Every delivery passes here, so no substring is made: the digits are read in place.
  if (!payload.startsWith(messageEventPrefix)) return false;
  const at = payload.lastIndexOf(EXPIRES_AT);
  if (at < 0) return false;
  let expiresAt = 0;
  for (let i = at + EXPIRES_AT.length; i < payload.length; i++) {
    const digit = payload.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    expiresAt = expiresAt * 10 + digit;
  }
  return expiresAt <= now;
}

const EXPIRES_AT = '"expiresAt":';
