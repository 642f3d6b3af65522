/** What grouping looks at in a message. */
export interface RunMessage {
  from?: string | undefined;
  createdAt: number;
  ttl?: number | undefined;
}

/** Messages this close, from one sender with one lifetime, show one time and countdown. */
export const RUN_GAP_MS = 60_000;

/**
 * True when `next` continues the run of `m`: same sender, same lifetime, sent within a minute.
 * Then `m` need not repeat the time and the countdown: they differ from `next`'s by under a minute.
 */
export function continues(m: RunMessage, next: RunMessage | undefined): boolean {
  return (
    !!next &&
    next.from === m.from &&
    next.ttl === m.ttl &&
    next.createdAt - m.createdAt >= 0 &&
    next.createdAt - m.createdAt <= RUN_GAP_MS
  );
}

const localDay = (at: number) => new Date(at).toDateString();

/**
 * The day separator before an item at `at`: when its local day differs from the item before it
 * (or, for the first, from today). Messages live at most a day, so this is rare: yesterday's.
 */
export function dayBefore(
  at: number,
  prevAt: number | undefined,
  now: number,
  locale: string | undefined,
): string | undefined {
  const day = localDay(at);
  if (day === localDay(prevAt ?? now)) return undefined;
  const options = { weekday: 'long', day: 'numeric', month: 'long' } as const;
  try {
    return new Intl.DateTimeFormat(locale, options).format(at);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(at);
  }
}
