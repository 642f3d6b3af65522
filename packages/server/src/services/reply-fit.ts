import { limits, type Message } from '@ephemeral-chat/protocol';

/**
 * The leading items whose JSON array fits in `maxBytes` (UTF-8; at least one, so a reader
 * progresses), and whether any were cut.
 */
export function fitInBytes<T>(items: readonly T[], maxBytes: number): { items: T[]; cut: boolean } {
  let bytes = 1;
  for (const [i, item] of items.entries()) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (i > 0 && bytes + size > maxBytes) return { items: items.slice(0, i), cut: true };
    bytes += size;
  }
  return { items: [...items], cut: false };
}

/** The message with its text cut to the preview length, in code points (never mid-character). */
export function preview(message: Message): Message {
  const max = limits.chatPreviewMaxLength;
  // UTF-16 length bounds the code point count from above: most texts skip the split.
  if (message.text.length <= max) return message;
  return { ...message, text: Array.from(message.text).slice(0, max).join('') };
}
