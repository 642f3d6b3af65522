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

/**
 * A small persisted map (a plain object without a prototype, so keys like `__proto__` are
 * data), capped at `max` entries: the oldest insertions go first.
 */
export class StoredMap<V> {
  readonly #key: string;
  readonly #max: number;
  #data: Record<string, V>;

  constructor(key: string, max = 500) {
    this.#key = key;
    this.#max = max;
    this.#data = Object.assign(Object.create(null) as Record<string, V>, load(key, {}));
  }

  get(k: string): V | undefined {
    return Object.hasOwn(this.#data, k) ? this.#data[k] : undefined;
  }

  set(k: string, v: V): void {
    delete this.#data[k];
    this.#data[k] = v;
    const keys = Object.keys(this.#data);
    for (const old of keys.slice(0, Math.max(0, keys.length - this.#max))) delete this.#data[old];
    save(this.#key, this.#data);
  }
}
