import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt', () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 500, 30_000, top))).toEqual([
      499, 999, 1999, 3999,
    ]);
  });

  it('never exceeds the cap, however many attempts', () => {
    for (const attempt of [6, 7, 20, 100, 10_000]) {
      expect(backoffDelay(attempt, 500, 30_000, () => 0.999_999)).toBeLessThan(30_000);
    }
  });

  it('draws uniformly from zero to the ceiling (full jitter)', () => {
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(2000);
    const draws = Array.from({ length: 2000 }, () => backoffDelay(4, 500, 30_000));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(8000);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(3400);
    expect(mean).toBeLessThan(4600);
  });
});
