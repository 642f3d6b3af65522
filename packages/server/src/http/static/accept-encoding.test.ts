import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Coding, codings, negotiateEncoding } from './accept-encoding.js';

const all = new Set<Coding>(codings);
const gzipOnly = new Set<Coding>(['gzip', 'identity']);

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP;Q=1', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['identity', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['identity;q=0', 'identity'],
    ['identity;q=0, *;q=0', 'identity'],
    ['br;q=1.5', 'identity'],
    ['br;q=abc, gzip;q=0.1', 'gzip'],
    ['deflate, zstd', 'identity'],
    ['br;q=0.001', 'br'],
    ['identity;q=1, br;q=0.9', 'identity'],
  ] as const)('answers %j with %s when every coding is built', (header, expected) => {
    expect(negotiateEncoding(header, all)).toBe(expected);
  });

  it('only picks a coding that exists for the file', () => {
    expect(negotiateEncoding('br, gzip', gzipOnly)).toBe('gzip');
    expect(negotiateEncoding('br', gzipOnly)).toBe('identity');
    expect(negotiateEncoding('br, gzip', new Set<Coding>(['identity']))).toBe('identity');
  });

  const entry = fc
    .tuple(
      fc.constantFrom('br', 'gzip', 'x-gzip', 'identity', '*', 'deflate', 'zstd', 'BR', ''),
      fc.option(fc.constantFrom('0', '0.0', '0.5', '1', '1.000', '0.001', 'x', '2'), {
        nil: undefined,
      }),
    )
    .map(([c, q]) => (q === undefined ? c : `${c};q=${q}`));

  it('never sends a coding the header gives q=0 or leaves out', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.subarray([...codings]), (entries, some) => {
        const available = new Set<Coding>(some);
        const header = entries.join(', ');
        const chosen = negotiateEncoding(header, available);
        if (chosen === 'identity') return;
        expect(available.has(chosen)).toBe(true);
        const named = entries.filter((e) => {
          const name = e.split(';')[0]?.toLowerCase();
          return name === chosen || (chosen === 'gzip' && name === 'x-gzip');
        });
        const granted = (e: string) => !e.includes(';q=') || /;q=(0\.0*[1-9]|1)/.test(e);
        if (named.length > 0) expect(named.some(granted)).toBe(true);
        else expect(entries.some((e) => e.startsWith('*') && granted(e))).toBe(true);
      }),
    );
  });

  it('answers any header at all without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        expect(codings).toContain(negotiateEncoding(header, all));
      }),
    );
  });
});
