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
  const out: Arg[] = [];
  for (const name of Object.keys(layout) as (keyof L & string)[]) {
    const value = values[name];
    if (value !== undefined) out[(layout[name] as number) - 1] = value;
  }
  return out;
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
