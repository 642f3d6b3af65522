import { describe, expect, it } from 'vitest';
import { closeCodes } from './close-codes.js';

describe('closeCodes', () => {
  const entries = Object.entries(closeCodes);

  it('uses each code once', () => {
    const codes = entries.map(([, c]) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(entries)('gives %s a code a server may send (RFC 6455 §7.4)', (_name, { code }) => {
    // 1004–1006 and 1015 are reserved: never sent in a close frame.
    const standard = code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code);
    const application = code >= 4000 && code <= 4999;
    expect(standard || application).toBe(true);
  });

  it('marks only the session codes final: those need a new sign-in, not a reconnect', () => {
    const final = entries.filter(([, c]) => c.final).map(([name]) => name);
    expect(final.sort()).toEqual(['session_ended', 'session_invalid']);
  });
});
