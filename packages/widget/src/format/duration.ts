const units = [
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
  { unit: 'second', ms: 1000 },
] as const;

/**
 * A duration in its largest whole unit, in the locale's words: `10 sec`, `5 min`, `24 hr`
 * (`short`) or `5 minutes` (`long`). Durations between units round up (`90 s` → `2 min`).
 */
export function formatDuration(
  ms: number,
  locale: string | undefined,
  unitDisplay: 'short' | 'long' = 'short',
): string {
  const { unit, ms: size } = units.find((u) => ms >= u.ms) ?? units[2];
  const value = Math.max(0, Math.ceil(ms / size));
  try {
    return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay }).format(value);
  } catch {
    // an unknown locale tag: fall back to the default locale
    return new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay }).format(value);
  }
}
