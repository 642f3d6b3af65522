/** The time of day of an epoch-ms instant, in the locale's short form (`14:05`, `2:05 PM`). */
export function formatClockTime(epochMs: number, locale: string | undefined): string {
  const options = { hour: 'numeric', minute: '2-digit' } as const;
  try {
    return new Intl.DateTimeFormat(locale, options).format(epochMs);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(epochMs);
  }
}
