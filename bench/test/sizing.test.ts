import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/options.js';
import { median } from '../src/sizing/median.js';

describe('sizing', () => {
  it('runs only when named, three times by default and once with --quick', () => {
    expect(parseOptions([], '/tmp/r').scenarios).not.toContain('sizing');
    expect(parseOptions(['sizing'], '/tmp/r')).toMatchObject({ scenarios: ['sizing'], repeats: 3 });
    expect(parseOptions(['sizing', '--quick'], '/tmp/r').repeats).toBe(1);
    expect(parseOptions(['sizing', '--repeats=5'], '/tmp/r').repeats).toBe(5);
  });

  it('takes the median of the finite figures', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});
