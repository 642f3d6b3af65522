import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StringOverrides } from '../strings.js';
import { isRtl, type Language, pickLanguage } from './languages.js';
import { loadLocale } from './load.js';

/**
 * The widget's language: the first with built-in strings among the element's `lang` (or an
 * ancestor's), the page's `<html lang>` and the browser's `navigator.languages`; else English.
 * Follows changes of any of them (a site's language switcher sets `lang`).
 */
export class LanguageController implements ReactiveController {
  /** The tag the language was chosen by (`pt-BR`), for dates, plurals and the frame's `lang`. */
  tag = 'en';
  /** The chosen language's built-in strings; none for English (the defaults). */
  strings: StringOverrides | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #changed = (): void => this.#host.requestUpdate();
  readonly #observer = new MutationObserver(this.#changed);
  /** Languages whose chunk failed to load: English for them, without asking again. */
  readonly #failed = new Set<Language>();

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    // The element's, an ancestor's or the page's `lang`; never inside shadow roots (ours sets one).
    this.#observer.observe(document, { subtree: true, attributeFilter: ['lang'] });
    addEventListener('languagechange', this.#changed);
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
    removeEventListener('languagechange', this.#changed);
  }

  /** `rtl` for a right-to-left tag (`locale`, if the host set one, else the chosen one). */
  dir(tag = this.tag): 'rtl' | 'ltr' {
    return isRtl(tag) ? 'rtl' : 'ltr';
  }

  /** Chooses the language now; settles once its strings are in (English if they fail to load). */
  async resolve(): Promise<void> {
    const nav = globalThis.navigator;
    const { lang, tag } = pickLanguage([
      this.#host.closest('[lang]')?.getAttribute('lang'),
      document.documentElement.lang,
      ...(nav?.languages ?? [nav?.language]),
    ]);
    const strings = this.#failed.has(lang)
      ? undefined
      : await loadLocale(lang).catch((err: unknown) => {
          // The chunk is served beside the bundle: a server without it gets English, and a hint.
          this.#failed.add(lang);
          console.warn(`<ephemeral-chat>: the ${lang} strings did not load; using English.`, err);
          return undefined;
        });
    this.strings = strings;
    this.tag = strings || lang === 'en' ? tag : 'en';
  }
}
