import { describe, expect, it } from 'vitest';
import { defaultStrings, mergeStrings, plural, type StringOverrides } from '../strings.js';
import ar from './ar.js';
import de from './de.js';
import es from './es.js';
import fr from './fr.js';
import ja from './ja.js';
import { languages } from './languages.js';
import { loadLocale } from './load.js';
import pt from './pt.js';

const locales: Record<string, StringOverrides> = { de, fr, es, pt, ja, ar };

/** Every text of a set of strings by its path: `send`, `errors.network`. */
function texts(strings: StringOverrides): Map<string, string> {
  const { errors, ...rest } = strings;
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(rest)) if (typeof v === 'string') out.set(k, v);
  for (const [k, v] of Object.entries(errors ?? {})) if (v) out.set(`errors.${k}`, v);
  return out;
}

const placeholders = (text: string) => new Set(text.match(/\{\w+\}/g) ?? []);
const english = texts(defaultStrings);

describe('built-in translations', () => {
  it('exist for every language offered besides English, and load by name', async () => {
    expect(Object.keys(locales).sort()).toEqual(languages.filter((l) => l !== 'en').sort());
    for (const [lang, strings] of Object.entries(locales)) {
      expect(await loadLocale(lang as (typeof languages)[number])).toBe(strings);
    }
    expect(await loadLocale('en')).toBeUndefined();
  });

  // A key added to English after a translation was written fails here, by name, until it is
  // translated; meanwhile the widget shows the English text for it (mergeStrings).
  it.each(Object.entries(locales))('%s translates every English text', (_lang, strings) => {
    const missing = [...english.keys()].filter((k) => !texts(strings).has(k));
    expect(missing, `untranslated (shown in English): ${missing.join(', ')}`).toEqual([]);
  });

  it.each(Object.entries(locales))('%s has no text English lacks', (_lang, strings) => {
    const extra = [...texts(strings).keys()].filter((k) => !english.has(k));
    expect(extra, `unknown keys (never shown): ${extra.join(', ')}`).toEqual([]);
  });

  // `{name}` must survive translation; only a singular may spell its number out ("رسالة واحدة").
  it.each(Object.entries(locales))('%s keeps the placeholders of each text', (_lang, strings) => {
    for (const [key, text] of texts(strings)) {
      const want = [...placeholders(english.get(key) ?? '')];
      const got = placeholders(text);
      const lost = want.filter((p) => !got.has(p) && !(key.endsWith('One') && p === '{count}'));
      const unknown = [...got].filter((p) => !want.includes(p));
      expect({ key, lost, unknown }).toEqual({ key, lost: [], unknown: [] });
    }
  });

  it.each(Object.entries(locales))('%s has no empty or untrimmed text', (_lang, strings) => {
    for (const [key, text] of texts(strings))
      expect({ key, text }).toEqual({ key, text: text.trim() || 'x' });
  });
});

describe('mergeStrings with a language', () => {
  it('lays the language over English and the host overrides over both', () => {
    const s = mergeStrings({ send: 'Abschicken', errors: { network: 'Offline.' } }, de);
    expect(s.send).toBe('Abschicken');
    expect(s.signIn).toBe(de.signIn);
    expect(s.errors.network).toBe('Offline.');
    expect(s.errors.timeout).toBe(de.errors.timeout);
  });

  it('shows English for a text the language lacks', () => {
    const { send: _, ...partial } = de;
    const s = mergeStrings(undefined, partial);
    expect(s.send).toBe(defaultStrings.send);
    expect(s.signIn).toBe(de.signIn);
  });
});

describe('plural', () => {
  const one = '{count} message';
  const other = '{count} messages';

  it('picks the form by the language’s rules, not by count === 1', () => {
    expect(plural(1, one, other, 'en')).toBe('1 message');
    expect(plural(0, one, other, 'en')).toBe('0 messages');
    expect(plural(0, one, other, 'fr')).toBe('0 message'); // French: 0 and 1 are singular
    expect(plural(1, one, other, 'ja')).toBe('1 messages'); // Japanese has one form
    expect(plural(2, one, other, 'ar')).toBe('2 messages');
  });

  it('falls back to English rules for a malformed locale', () => {
    expect(plural(1, one, other, 'not a tag!')).toBe('1 message');
    expect(plural(3, one, other, 'not a tag!')).toBe('3 messages');
  });
});
