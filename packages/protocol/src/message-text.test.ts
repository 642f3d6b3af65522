import { describe, expect, it } from 'vitest';
import { hasVisibleText, messageTextSchema } from './primitives.js';

describe('messageTextSchema visibility rule', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t\u00A0\u3000\u2003'],
    ['zero-width spaces and joiners', '\u200B\u200C\u200D\u2060'],
    ['a BOM and variation selectors', '\uFEFF\uFE0F\uFE0E\u{E0100}'],
    ['bidi controls', '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C'],
    ['Hangul fillers and a braille blank', '\u3164\u115F\uFFA0\u2800'],
    ['tag characters and a soft hyphen', '\u{E0041}\u{E007F}\u00AD'],
  ])('refuses text made only of %s', (_what, text) => {
    expect(hasVisibleText(text)).toBe(false);
    expect(messageTextSchema.safeParse(text).success).toBe(false);
  });

  it.each([
    ['a word', 'hi'],
    ['an emoji with a variation selector', '\u2764\uFE0F'],
    ['a ZWJ emoji sequence', '👩\u200D💻'],
    ['a letter between zero-width spaces', '\u200Ba\u200B'],
    ['a single dot', '.'],
  ])('accepts %s', (_what, text) => {
    expect(messageTextSchema.safeParse(text).success).toBe(true);
  });
});
