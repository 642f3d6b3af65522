import { describe, expect, it } from 'vitest';
import { defaultStrings, fill, mergeStrings } from './strings.js';

describe('mergeStrings', () => {
  it('lays overrides over the defaults, error texts key by key', () => {
    const s = mergeStrings({ send: 'Senden', errors: { network: 'Offline.' } });
    expect(s.send).toBe('Senden');
    expect(s.signIn).toBe(defaultStrings.signIn);
    expect(s.errors.network).toBe('Offline.');
    expect(s.errors.invalid_credentials).toBe(defaultStrings.errors.invalid_credentials);
  });
});

describe('fill', () => {
  it('fills known placeholders and leaves unknown ones and inherited names alone', () => {
    expect(fill('{name} is typing… {other}', { name: 'alice' })).toBe('alice is typing… {other}');
    expect(fill('{constructor}', {})).toBe('{constructor}');
  });
});
