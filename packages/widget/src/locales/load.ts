import type { StringOverrides } from '../strings.js';
import type { Language } from './languages.js';

type Chunk = () => Promise<{ default: StringOverrides }>;

/**
 * Each language's strings are a chunk of their own, fetched the first time it is chosen: the
 * script-tag bundle carries English only. The specifiers stay literal so that bundlers (ours in
 * rollup.config.mjs, and an app's) see and split them.
 */
const chunks: Record<Exclude<Language, 'en'>, Chunk> = {
  de: () => import('./de.js'),
  fr: () => import('./fr.js'),
  es: () => import('./es.js'),
  pt: () => import('./pt.js'),
  ja: () => import('./ja.js'),
  ar: () => import('./ar.js'),
};

/** The built-in strings of `lang` (none for English: the defaults are English). */
export async function loadLocale(lang: Language): Promise<StringOverrides | undefined> {
  return lang === 'en' ? undefined : (await chunks[lang]()).default;
}
