import type { Theme } from '@ephemeral-chat/widget';

const themes: readonly Theme[] = ['light', 'dark', 'auto'];

/** Three radio buttons bound to the host's theme state. */
export function ThemeSwitcher({ value, onChange }: { value: Theme; onChange: (t: Theme) => void }) {
  return (
    <fieldset className="theme-switcher">
      <legend>Theme</legend>
      {themes.map((t) => (
        <label key={t}>
          <input
            type="radio"
            name="theme"
            value={t}
            checked={value === t}
            onChange={() => onChange(t)}
          />
          {t}
        </label>
      ))}
    </fieldset>
  );
}
