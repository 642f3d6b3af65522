import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Decoded, decodeFrame, MAX_ERROR_MESSAGE, tooDeep } from './frame-decoder.js';

const encoder = new TextEncoder();
const bytesOf = (s: string): ArrayBuffer => {
  const u8 = encoder.encode(s);
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
};
const bufferOf = (u8: Uint8Array): ArrayBuffer =>
  u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;

/** The decoder's contract over any input: no throw, a frame or an error, a short error message. */
function holds(decoded: Decoded): void {
  if ('frame' in decoded) {
    expect(typeof decoded.frame.type).toBe('string');
    return;
  }
  expect(decoded.error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE + 64);
  for (const d of decoded.error.details ?? []) {
    expect(d.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
    expect(d.path.length).toBeLessThanOrEqual(64);
  }
  expect((decoded.error.details ?? []).length).toBeLessThanOrEqual(8);
  expect(JSON.stringify(decoded.error.details ?? []).length).toBeLessThan(4096);
}

const frameTypes = [
  'auth',
  'ping',
  'open',
  'send',
  'history',
  'resume',
  'typing',
  'presence',
  'chats',
];

/** Frames that look like client frames: known or odd types, any fields of any JSON value. */
const nearMiss = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...frameTypes), fc.jsonValue()),
    id: fc.oneof(fc.nat(), fc.jsonValue()),
    text: fc.oneof(fc.string({ unit: 'grapheme' }), fc.jsonValue()),
    room: fc.oneof(fc.constant('dm:a:b'), fc.string()),
    userIds: fc.array(fc.oneof(fc.string(), fc.jsonValue()), { maxLength: 300 }),
  },
  { requiredKeys: [] },
);

const deep = fc
  .tuple(fc.integer({ min: 1, max: 6000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']))
  .map(([n, [open, close]]) => `{"type":${(open ?? '[').repeat(n)}1${(close ?? ']').repeat(n)}}`);

describe('decodeFrame', () => {
  it('never throws on arbitrary strings and answers with a bounded error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) =>
        holds(decodeFrame(bytesOf(s), false)),
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary bytes, as text or binary', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), (b, binary) =>
        holds(decodeFrame(bufferOf(b), binary)),
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary JSON and near-miss frames', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearMiss), (v) =>
        holds(decodeFrame(bytesOf(JSON.stringify(v) ?? 'null'), false)),
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses deep nesting anywhere with validation_failed, before the schema sees it', () => {
    fc.assert(
      fc.property(deep, (s) => {
        const decoded = decodeFrame(bytesOf(s), false);
        holds(decoded);
        if (s.length > 200 && 'error' in decoded)
          expect(['validation_failed', 'unknown_type']).toContain(decoded.error.code);
      }),
      { numRuns: 200 },
    );
    const d = decodeFrame(
      bytesOf(`{"type":"ping","id":1,"x":${'['.repeat(40)}${']'.repeat(40)}}`),
      false,
    );
    expect(d).toMatchObject({ id: 1, error: { code: 'validation_failed' } });
  });

  it('echoes at most a short snippet of an unknown type', () => {
    const d = decodeFrame(bytesOf(JSON.stringify({ type: 'z'.repeat(10_000) })), false);
    if (!('error' in d)) throw new Error('decoded');
    expect(d.error.code).toBe('unknown_type');
    expect(d.error.message.length).toBeLessThan(64);
  });

  it('measures depth with bounded recursion', () => {
    expect(tooDeep({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(tooDeep({ a: [1, { b: [] }] }, 3)).toBe(true);
    expect(tooDeep('x', 0)).toBe(false);
  });
});
