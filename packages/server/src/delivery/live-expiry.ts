import { messageEventPrefix } from '@ephemeral-chat/protocol';

/**
 * True when `payload` is a `message` event whose message has expired by `now`: such a frame is
 * never delivered live (a publish that ran late, or sat in a queue). The stored JSON ends with its
 * `expiresAt` field (see the send script and MemoryMessages), so the frame ends with
 * `"expiresAt":<ms>}}` and is read from the end without parsing the text. A `"expiresAt":` inside
 * the text is escaped (`\"`), so the last match is the real field.
 */
export function isExpiredMessage(payload: string, now: number): boolean {
  if (!payload.startsWith(messageEventPrefix)) return false;
  const at = payload.lastIndexOf('"expiresAt":');
  if (at < 0) return false;
  // parseInt stops at the closing braces.
  return Number.parseInt(payload.slice(at + 12), 10) <= now;
}
