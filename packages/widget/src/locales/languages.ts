/** The languages with built-in strings. English is in the bundle; the others load when chosen. */
export const languages = ['en', 'de', 'fr', 'es', 'pt', 'ja', 'ar'] as const;

export type Language = (typeof languages)[number];

/** The chosen language, and the tag it was chosen by (`pt-BR`: Brazilian dates and plurals). */
export interface Choice {
  lang: Language;
  tag: string;
}

/**
 * The first candidate (a BCP 47 tag, in order of preference) whose language has built-in strings;
 * English when none has. Empty and malformed tags are skipped; `de_AT` is read as `de-AT`.
 */
export function pickLanguage(candidates: Iterable<string | null | undefined>): Choice {
  for (const candidate of candidates) {
    const tag = canonical(candidate);
    const lang = tag?.split('-')[0] as Language;
    if (tag && languages.includes(lang)) return { lang, tag };
  }
  return { lang: 'en', tag: 'en' };
}

function canonical(tag: string | null | undefined): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag?.replace(/_/g, '-') || [])[0];
  } catch {
    return undefined; // not a well-formed tag
  }
}

/** Whether `tag`'s script runs right to left (Arabic, Hebrew, Persian, Urdu and kin). */
export const isRtl = (tag: string): boolean => /^(ar|he|iw|fa|ur|ps|sd|ug|yi|dv|ckb)\b/i.test(tag);
