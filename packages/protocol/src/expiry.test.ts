import { describe, expect, it } from 'vitest';
import { expiry, isValidTtl, ttlChoices } from './expiry.js';
import { ttlSchema } from './primitives.js';

describe('expiry', () => {
  it('offers only valid TTL choices, shortest first', () => {
    for (const { ttl } of ttlChoices) {
      expect(isValidTtl(ttl)).toBe(true);
      expect(ttlSchema.safeParse(ttl).success).toBe(true);
    }
    const ttls = ttlChoices.map((c) => c.ttl);
    expect(ttls).toEqual([...ttls].sort((a, b) => a - b));
  });

  it('offers the 1 h default, and both bounds', () => {
    const ttls: number[] = ttlChoices.map((c) => c.ttl);
    expect(expiry.defaultTtlMs).toBe(3_600_000);
    expect(ttls).toContain(expiry.defaultTtlMs);
    expect(ttls).toContain(expiry.minTtlMs);
    expect(ttls).toContain(expiry.maxTtlMs);
  });

  it('labels each choice once', () => {
    const labels = ttlChoices.map((c) => c.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('agrees with ttlSchema on the bounds and on fractions', () => {
    for (const ttl of [9_999, 10_000, 86_400_000, 86_400_001, 10_000.5, Number.NaN]) {
      expect(isValidTtl(ttl)).toBe(ttlSchema.safeParse(ttl).success);
    }
  });
});
