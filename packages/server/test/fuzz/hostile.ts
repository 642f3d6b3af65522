import fc from 'fast-check';
import { Raw } from './raw-json.js';

/** Nesting up to 10,000 deep, biased toward the deep end where recursive code breaks. */
export const deepJson: fc.Arbitrary<Raw> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1000, max: 10_000 })),
    fc.constantFrom('array', 'object', 'mixed'),
  )
  .map(([depth, shape]) => {
    if (shape === 'array') return new Raw('['.repeat(depth) + ']'.repeat(depth));
    if (shape === 'object') return new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    return new Raw(`${'[{"a":'.repeat(depth >> 1)}0${'}]'.repeat(depth >> 1)}`);
  });

/** Numbers that break naive arithmetic, written as JSON text so `-0` and `1e400` survive. */
export const hugeNumber: fc.Arbitrary<Raw | string> = fc.oneof(
  fc
    .constantFrom(
      '1e308',
      '-1e308',
      '1e400',
      '-1e400',
      '-0',
      '0.0',
      '5e-324',
      '9007199254740993',
      '-9007199254740993',
      '2147483648',
      '123456789012345678901234567890123456789',
      '1.5',
    )
    .map((t) => new Raw(t)),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e308', '0x10', ' 1', '1 '),
);

/** Strings a renderer or a length check can get wrong. */
export const oddString: fc.Arbitrary<Raw | string> = fc.oneof(
  fc.constantFrom('\ud800', '\udfff', 'a\ud800b', '\udc00\ud800').map(
    // Lone surrogates: only a JSON escape carries them (UTF-8 cannot).
    (s) => new Raw(JSON.stringify(s)),
  ),
  fc.constantFrom(
    '\u202e\u2066evil\u2069',
    '\u0000',
    'a\u0000b',
    '\ufeff',
    'e\u0301\u0301\u0301\u0301',
    '👩‍👩‍👧‍👦',
    '\u00ad',
    'Z̸̡̢̛̗̘̙̜̝̞̟̠̀́̂̃̄̅',
    '\r\n\t\f\v',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Text made only of invisible characters: not a message (issue 12, item 11). */
export const invisibleText: fc.Arbitrary<string> = fc
  .array(fc.constantFrom('\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', ' ', '\n'), {
    minLength: 1,
    maxLength: 40,
  })
  .filter((a) => a.some((c) => c !== ' ' && c !== '\n'))
  .map((a) => a.join(''));

/** Byte sequences that are not UTF-8: overlong, surrogate, past U+10FFFF, truncated, stray. */
export const invalidUtf8: fc.Arbitrary<Uint8Array> = fc.constantFrom(
  Uint8Array.of(0xff),
  Uint8Array.of(0xfe, 0xff),
  Uint8Array.of(0xc0, 0x80),
  Uint8Array.of(0xc1, 0xbf),
  Uint8Array.of(0x80),
  Uint8Array.of(0xe2, 0x82),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
  Uint8Array.of(0xf8, 0x88, 0x80, 0x80, 0x80),
);

/** Splices invalid bytes into valid UTF-8 (inside a string value, where it looks most alive). */
export function corrupt(text: string, bad: Uint8Array, at: number): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  const quote = bytes.indexOf(0x22, Math.floor(at * bytes.length));
  const cut = quote >= 0 ? quote + 1 : bytes.length;
  return Buffer.concat([bytes.subarray(0, cut), bad, bytes.subarray(cut)]);
}

/** Any hostile JSON value for a field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  deepJson,
  hugeNumber,
  oddString,
  fc.constantFrom(null, true, [], {}, '', new Raw('{"__proto__":{"polluted":1}}')),
  fc.jsonValue({ maxDepth: 3 }),
);
