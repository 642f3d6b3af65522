/**
 * Named positions in a script's ARGV or KEYS, so the TypeScript that builds the arguments and the
 * Lua that reads them share one definition instead of positional numbers.
 */

/** Field name → 1-based position (Lua's numbering). */
export type Layout = Readonly<Record<string, number>>;

type Arg = string | number;

/** The values placed at their layout positions; a field given as undefined (the last only) is left out. */
export function argsOf<L extends Layout>(
  layout: L,
  values: { readonly [K in keyof L]: Arg | undefined },
): Arg[] {
  // Runs for every send: the field order is worked out once per layout, and the array is filled
  // front to back (no holes, no Object.keys per call).
  const names = orderOf(layout) as (keyof L)[];
  const out: Arg[] = [];
  for (const name of names) {
    const value = values[name];
    if (value === undefined) break;
    out.push(value);
  }
  return out;
}

const orders = new WeakMap<Layout, string[]>();

/** A layout's field names by position; positions must be 1..n without gaps. */
function orderOf(layout: Layout): string[] {
  let names = orders.get(layout);
  if (!names) {
    names = Object.keys(layout).sort((a, b) => (layout[a] as number) - (layout[b] as number));
    names.forEach((name, i) => {
      if (layout[name] !== i + 1) throw new Error(`layout position ${name} is not ${i + 1}`);
    });
    orders.set(layout, names);
  }
  return names;
}

/** How many positions a layout spans (its highest position). */
export function sizeOf(layout: Layout): number {
  return Math.max(...Object.values(layout));
}

/**
 * Lua for `base` plus a field's offset in a repeated block (e.g. one send's fields): `a` for
 * the block's first field, `a + 3` for the fourth.
 */
export function offsetIn(layout: Layout, name: string, base: string): string {
  const offset = (layout[name] as number) - 1;
  return offset === 0 ? base : `${base} + ${offset}`;
}
