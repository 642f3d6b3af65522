const PREFIX = 'ephemeral-chat:';

/**
 * The widget's few preferences in localStorage, under `ephemeral-chat:`. Storage can be missing,
 * full or blocked (third-party contexts, private modes): then preferences last for the page only.
 */
export function load<T>(key: string, fallback: T): T {
  try {
    const raw = globalThis.localStorage?.getItem(PREFIX + key);
    return raw == null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // blocked or full: the preference lasts for this page only
  }
}
