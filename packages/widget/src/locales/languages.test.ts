import { describe, expect, it } from 'vitest';
import { isRtl, pickLanguage } from './languages.js';

describe('pickLanguage', () => {
  it('takes the first candidate with built-in strings, keeping its region', () => {
    expect(pickLanguage(['pt-BR', 'de'])).toEqual({ lang: 'pt', tag: 'pt-BR' });
    expect(pickLanguage([undefined, 'fr-CA'])).toEqual({ lang: 'fr', tag: 'fr-CA' });
  });

  it('skips languages it lacks, and empty or malformed tags', () => {
    expect(pickLanguage(['it', '', null, 'not a tag!', 'ja-JP'])).toEqual({
      lang: 'ja',
      tag: 'ja-JP',
    });
  });

  it('reads underscores and odd case as a well-formed tag', () => {
    expect(pickLanguage(['DE_at'])).toEqual({ lang: 'de', tag: 'de-AT' });
  });

  it('falls back to English', () => {
    expect(pickLanguage([])).toEqual({ lang: 'en', tag: 'en' });
    expect(pickLanguage(['it-IT', 'nl'])).toEqual({ lang: 'en', tag: 'en' });
  });
});

describe('isRtl', () => {
  it('knows right-to-left languages by their primary subtag', () => {
    expect(['ar', 'ar-EG', 'he', 'fa-IR', 'ur'].map(isRtl)).toEqual([true, true, true, true, true]);
    expect(['en', 'arn', 'de', 'ja'].map(isRtl)).toEqual([false, false, false, false]);
  });
});
