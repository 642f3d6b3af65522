import { describe, expect, it } from 'vitest';
import { toChatMessage } from './message.js';

const base = {
  room: 'dm:a:b',
  seq: 1,
  from: 'a',
  text: 'hi',
  clientMsgId: 'c1',
  createdAt: 1_000_000,
  ttl: 10_000,
  expiresAt: 1_010_000,
};

describe('ChatMessage.remaining', () => {
  it('counts down by server time and stops at zero', () => {
    let now = 1_004_000;
    const m = toChatMessage(base, { now: () => now, offset: 0 });
    expect(m.remaining()).toBe(6_000);
    now = 1_020_000;
    expect(m.remaining()).toBe(0);
  });

  it('never exceeds the TTL when the clock estimate runs a little behind the server', () => {
    const m = toChatMessage(base, { now: () => 999_990, offset: 0 });
    expect(m.remaining()).toBe(10_000);
  });
});
