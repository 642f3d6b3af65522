import { readFileSync } from 'node:fs';

// Three levels up from src/services/passwords (and from dist/services/passwords) is the package.
const listUrl = new URL('../../../assets/common-passwords.txt', import.meta.url);

let cached: ReadonlySet<string> | undefined;

/** The bundled blocklist (see assets/README.md), loaded once. */
export function commonPasswords(): ReadonlySet<string> {
  cached ??= new Set(
    readFileSync(listUrl, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
  return cached;
}

/** Why a password is refused, or undefined when it is acceptable. */
export function weakPasswordReason(password: string, username: string): string | undefined {
  const folded = password.normalize('NFKC').toLowerCase();
  if (folded === username.toLowerCase()) return 'The password cannot be the username.';
  if (commonPasswords().has(folded)) {
    return 'This password is one of the most common ones; choose another.';
  }
  return undefined;
}
