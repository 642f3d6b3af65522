import { describe, expect, it } from 'vitest';
import { continues, dayBefore } from './timeline.js';

const at = (s: string) => new Date(s).getTime();

describe('continues', () => {
  const m = { from: 'a', createdAt: at('2026-01-02T10:00:00'), ttl: 60_000 };

  it('joins messages of one sender and lifetime sent within a minute', () => {
    expect(continues(m, { ...m, createdAt: m.createdAt + 59_000 })).toBe(true);
  });

  it('keeps apart another sender, another lifetime, a longer pause and the last message', () => {
    expect(continues(m, { ...m, from: 'b' })).toBe(false);
    expect(continues(m, { ...m, ttl: 10_000 })).toBe(false);
    expect(continues(m, { ...m, createdAt: m.createdAt + 61_000 })).toBe(false);
    expect(continues(m, undefined)).toBe(false);
  });
});

describe('dayBefore', () => {
  const now = at('2026-01-02T09:00:00');

  it('says nothing for today, and names the day for a message of yesterday', () => {
    expect(dayBefore(at('2026-01-02T08:00:00'), undefined, now, 'en')).toBeUndefined();
    expect(dayBefore(at('2026-01-01T23:00:00'), undefined, now, 'en')).toBe('Thursday, January 1');
  });

  it('separates the first message of a new day from the one before', () => {
    const prev = at('2026-01-01T23:59:00');
    expect(dayBefore(at('2026-01-02T00:01:00'), prev, now, 'en')).toBe('Friday, January 2');
    expect(dayBefore(at('2026-01-01T23:59:30'), prev, now, 'en')).toBeUndefined();
  });
});
