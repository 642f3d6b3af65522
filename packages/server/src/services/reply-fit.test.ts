import { limits, type Message } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import { fitInBytes, preview } from './reply-fit.js';

const message = (text: string): Message => ({
  room: 'dm:a:b',
  seq: 1,
  from: 'a',
  text,
  clientMsgId: 'c',
  createdAt: 0,
  ttl: 10_000,
  expiresAt: 10_000,
});

describe('fitting a reply in bytes', () => {
  it('keeps the leading items whose JSON array fits, and says it cut the rest', () => {
    const items = ['ab', 'cd', 'ef']; // each `"ab"`: 4 bytes, plus a comma or bracket
    expect(fitInBytes(items, JSON.stringify(items.slice(0, 2)).length)).toEqual({
      items: ['ab', 'cd'],
      cut: true,
    });
    expect(fitInBytes(items, 1000)).toEqual({ items, cut: false });
  });

  it('counts UTF-8 bytes and always keeps the first item', () => {
    expect(fitInBytes(['😀😀', 'x'], 8)).toEqual({ items: ['😀😀'], cut: true });
  });

  it('cuts a chat preview to chatPreviewMaxLength code points, never inside a character', () => {
    const long = preview(message('😀'.repeat(limits.messageMaxLength)));
    expect(Array.from(long.text)).toHaveLength(limits.chatPreviewMaxLength);
    expect(long.text).toBe('😀'.repeat(limits.chatPreviewMaxLength));
    const short = message('hi');
    expect(preview(short)).toBe(short);
  });
});
