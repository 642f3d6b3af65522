import type { Message } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import { isExpiredMessage } from './live-expiry.js';

// Key order as both engines store a message: expiresAt last.
const message = (expiresAt: number, text = 'hi'): Message => ({
  room: 'dm:a:b',
  seq: 7,
  from: 'a',
  text,
  clientMsgId: 'c1',
  createdAt: expiresAt - 10_000,
  ttl: 10_000,
  expiresAt,
});
const frame = (m: Message) => `{"type":"message","message":${JSON.stringify(m)}}`;

describe('isExpiredMessage', () => {
  it('flags a message event at or past its expiresAt and passes one still live', () => {
    expect(isExpiredMessage(frame(message(1_000)), 1_000)).toBe(true);
    expect(isExpiredMessage(frame(message(1_000)), 5_000)).toBe(true);
    expect(isExpiredMessage(frame(message(1_001)), 1_000)).toBe(false);
  });

  it('reads the real field, not one written in the text', () => {
    const tricky = message(9_000, '"expiresAt":1}}');
    expect(isExpiredMessage(frame(tricky), 5_000)).toBe(false);
  });

  it('never drops other events', () => {
    expect(isExpiredMessage('{"type":"typing","room":"dm:a:b","expiresAt":1}', 5_000)).toBe(false);
  });
});
