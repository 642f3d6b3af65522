import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLinks } from './links.js';

const hrefs = (text: string) => findLinks(text).map((l) => l.href);

describe('findLinks', () => {
  it('finds http and https addresses and leaves sentence punctuation outside them', () => {
    expect(hrefs('see https://example.com/a?b=1, and http://x.org.')).toEqual([
      'https://example.com/a?b=1',
      'http://x.org/',
    ]);
  });

  it('keeps a closing parenthesis the address opened and drops one it did not', () => {
    expect(hrefs('(https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
  });

  it('links no other scheme and no bare domain', () => {
    expect(
      hrefs('javascript:alert(1) data:text/html,<b>x</b> ftp://x.org www.example.com mailto:a@b.c'),
    ).toEqual([]);
  });

  it('returns ranges that cut the text at the address, for any text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const text = `${before} https://example.com/p ${after}`;
        for (const l of findLinks(text)) {
          expect(l.href.startsWith('http://') || l.href.startsWith('https://')).toBe(true);
          expect(/^https?:\/\//i.test(text.slice(l.start, l.end))).toBe(true);
          expect(text.slice(l.start, l.end)).not.toMatch(/\s/);
        }
      }),
    );
  });
});
