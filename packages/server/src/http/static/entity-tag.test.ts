import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noneMatchHits } from './entity-tag.js';

const etag = '"0123456789abcdef.br"';

describe('noneMatchHits', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*', true],
    [' * ', true],
    ['"0123456789abcdef.br"', true],
    ['W/"0123456789abcdef.br"', true],
    ['"other", "0123456789abcdef.br"', true],
    ['"0123456789abcdef"', false],
    ['"0123456789abcdef.gz"', false],
    ['0123456789abcdef.br', false],
    ['"0123456789abcdef.br', false],
    ['w/"x"', false],
  ] as const)('answers %j with %s', (header, hit) => {
    expect(noneMatchHits(header, etag)).toBe(hit);
  });

  it('finds our tag anywhere in a list of other tags, weak or strong', () => {
    const tag = fc.stringMatching(/^[a-z0-9.]{0,20}$/).map((t) => `"${t}"`);
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 20 }), fc.nat(), fc.boolean(), (tags, at, weak) => {
        const list = tags.filter((t) => t !== etag);
        list.splice(at % (list.length + 1), 0, weak ? `W/${etag}` : etag);
        expect(noneMatchHits(list.join(', '), etag)).toBe(true);
        expect(noneMatchHits(list.filter((t) => !t.includes(etag)).join(','), etag)).toBe(false);
      }),
    );
  });

  it('answers any header at all without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        expect(typeof noneMatchHits(header, etag)).toBe('boolean');
      }),
    );
  });
});
