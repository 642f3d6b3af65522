import { load, save } from '../storage.js';

/** `auto` follows the system's `prefers-color-scheme`. */
export type Theme = 'auto' | 'light' | 'dark';

export const themes: readonly Theme[] = ['auto', 'light', 'dark'];

export const isTheme = (v: unknown): v is Theme => themes.includes(v as Theme);

/** The theme the user picked with the toggle, if any: it wins over the `theme` attribute. */
export function storedTheme(): Theme | undefined {
  const t = load<unknown>('theme', undefined);
  return isTheme(t) ? t : undefined;
}

export function storeTheme(theme: Theme): void {
  save('theme', theme);
}

/** The theme after `theme` in the toggle's cycle: auto → light → dark → auto. */
export function nextTheme(theme: Theme): Theme {
  return themes[(themes.indexOf(theme) + 1) % themes.length] ?? 'auto';
}
