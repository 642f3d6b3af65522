/** "alice", "alice and bob", "alice, bob and carol": a list of names in the locale's words. */
export function formatNames(names: readonly string[], locale: string | undefined): string {
  try {
    return new Intl.ListFormat(locale, { type: 'conjunction' }).format(names);
  } catch {
    return names.join(', '); // an unknown locale tag
  }
}
