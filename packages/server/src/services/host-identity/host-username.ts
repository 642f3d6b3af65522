import { createHash, randomInt } from 'node:crypto';

const valid = /^[A-Za-z0-9_]{3,32}$/;

/**
 * Usernames to try, in order, for a host user seen for the first time: the display-name claim
 * when it is a valid username, then that name (or "user") cleaned up with a random suffix, and
 * last a name derived from (issuer, sub), which is free unless someone registered it on purpose.
 */
export function usernameCandidates(
  issuer: string,
  subject: string,
  displayName: string | undefined,
  tries = 4,
): string[] {
  const out: string[] = [];
  if (displayName !== undefined && valid.test(displayName)) out.push(displayName);
  const cleaned = (displayName ?? '')
    .normalize('NFKD')
    // Accents dropped (Zoë → Zoe), then every run of other characters becomes one _.
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 24);
  const base = cleaned.length >= 2 ? cleaned : 'user';
  for (let i = 0; i < tries; i++) out.push(`${base}_${randomInt(1000, 10_000_000)}`);
  const digest = createHash('sha256')
    .update(JSON.stringify([issuer, subject]))
    .digest('hex');
  out.push(`h_${digest.slice(0, 30)}`);
  return out;
}
