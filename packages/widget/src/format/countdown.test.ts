import { describe, expect, it } from 'vitest';
import { formatCountdown } from './countdown.js';
import { formatDuration } from './duration.js';

describe('formatCountdown', () => {
  it('rounds up to the second and never shows a negative time', () => {
    expect(formatCountdown(9_001)).toBe('0:10');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5_000)).toBe('0:00');
  });

  it('shows minutes and hours as a clock', () => {
    expect(formatCountdown(299_000)).toBe('4:59');
    expect(formatCountdown(3_600_000)).toBe('1:00:00');
    expect(formatCountdown(86_399_000)).toBe('23:59:59');
  });
});

describe('formatDuration', () => {
  it('names each expiry choice in its largest whole unit', () => {
    expect(formatDuration(10_000, 'en')).toBe('10 sec');
    expect(formatDuration(300_000, 'en')).toBe('5 min');
    expect(formatDuration(86_400_000, 'en')).toBe('24 hr');
    expect(formatDuration(300_000, 'en', 'long')).toBe('5 minutes');
  });

  it('falls back to the default locale for a malformed tag', () => {
    expect(formatDuration(60_000, 'not a locale!')).toMatch(/1/);
  });
});
