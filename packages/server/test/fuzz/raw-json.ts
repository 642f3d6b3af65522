/** A piece of JSON text put into a frame verbatim (deep nesting, `-0`, `1e400`, bad escapes). */
export class Raw {
  constructor(readonly text: string) {}
}

/** Stands for the request id; the runner puts in a fresh one so replies can be matched. */
export const ID = Symbol('id');
/** A fresh id past the protocol's 2³¹ − 1 cap (echoed, but invalid). */
export const BIG_ID = Symbol('big-id');

export interface Ids {
  next(): number;
  nextBig(): number;
}

/**
 * Serialises a frame template: `Raw` pieces go in as written, id slots get fresh ids. Keys keep
 * their order; a `__proto__` own key survives because templates are built with defineProperty.
 */
export function toJson(value: unknown, ids: Ids): string {
  if (value === ID) return String(ids.next());
  if (value === BIG_ID) return String(ids.nextBig());
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => toJson(v, ids)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const parts = Object.keys(value).map(
      (k) => `${JSON.stringify(k)}:${toJson((value as Record<string, unknown>)[k], ids)}`,
    );
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A plain object with the given entries in order, `__proto__` included as an own key. */
export function obj(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}
