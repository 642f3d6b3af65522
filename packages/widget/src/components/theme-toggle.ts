import { html, LitElement } from 'lit';
import { define } from '../define.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';
import { nextTheme, type Theme } from '../theme/theme.js';

const icons: Record<Theme, string> = { auto: '◐', light: '☀', dark: '☾' };

/**
 * Cycles the theme: automatic → light → dark. Its label says the current one.
 *
 * @fires theme-change - `detail`: the theme picked.
 * @csspart theme-toggle - The button.
 */
export class ThemeToggle extends LitElement {
  static override properties = {
    theme: { type: String },
    strings: { attribute: false },
  };

  static override styles = base;

  theme: Theme = 'auto';
  strings = defaultStrings;

  override render() {
    const s = this.strings;
    const names = { auto: s.themeAuto, light: s.themeLight, dark: s.themeDark };
    const label = fill(s.theme, { theme: names[this.theme] });
    return html`<button
      part="theme-toggle"
      type="button"
      aria-label=${label}
      title=${label}
      @click=${this.#click}
    >
      <span aria-hidden="true">${icons[this.theme]}</span>
    </button>`;
  }

  #click(): void {
    this.theme = nextTheme(this.theme);
    this.dispatchEvent(new CustomEvent('theme-change', { detail: this.theme, bubbles: true }));
  }
}

define('ec-theme-toggle', ThemeToggle);

declare global {
  interface HTMLElementTagNameMap {
    'ec-theme-toggle': ThemeToggle;
  }
}
