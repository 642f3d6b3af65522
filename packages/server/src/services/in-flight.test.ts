import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

describe('InFlight', () => {
  it('caps slots per key and keeps one free from any single source', () => {
    const slots = new InFlight(4, 3);
    expect([1, 2, 3, 4].map(() => slots.enter('acct', 'attacker'))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(slots.enter('acct', 'owner')).toBe(true);
    expect(slots.enter('acct', 'third')).toBe(false);
    expect(slots.enter('other-acct', 'attacker')).toBe(true);
  });

  it('frees slots on leave and forgets keys with none in progress', () => {
    const slots = new InFlight(2, 1);
    expect(slots.enter('acct', 'a')).toBe(true);
    expect(slots.enter('acct', 'a')).toBe(false);
    slots.leave('acct', 'a');
    expect(slots.size).toBe(0);
    expect(slots.enter('acct', 'a')).toBe(true);
    slots.leave('acct', 'a');
    slots.leave('acct', 'a');
    expect(slots.size).toBe(0);
  });
});
