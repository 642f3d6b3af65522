/** Key → set of values, dropping a key with its last value; reports first/last transitions. */
export class SetMap<K, V> {
  readonly #map = new Map<K, Set<V>>();

  /** Adds; true when the key had no values before. */
  add(key: K, value: V): boolean {
    const set = this.#map.get(key);
    if (set) {
      set.add(value);
      return false;
    }
    this.#map.set(key, new Set([value]));
    return true;
  }

  /** Removes; true when that was the key's last value. */
  remove(key: K, value: V): boolean {
    const set = this.#map.get(key);
    if (!set?.delete(value) || set.size > 0) return false;
    this.#map.delete(key);
    return true;
  }

  get(key: K): ReadonlySet<V> {
    return this.#map.get(key) ?? empty;
  }

  keys(): K[] {
    return [...this.#map.keys()];
  }

  *values(): IterableIterator<V> {
    for (const set of this.#map.values()) yield* set;
  }
}

const empty: ReadonlySet<never> = new Set();
