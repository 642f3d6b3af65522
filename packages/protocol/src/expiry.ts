/**
 * Message expiry. Every TTL is in milliseconds; `expiresAt = server time at write + ttl`.
 * Any whole-millisecond TTL within [minTtlMs, maxTtlMs] is valid; `ttlChoices` are the ones
 * a user interface offers.
 */
export const expiry = {
  minTtlMs: 10_000,
  maxTtlMs: 86_400_000,
  defaultTtlMs: 3_600_000,
} as const;

export const ttlChoices = [
  { ttl: 10_000, label: '10 s' },
  { ttl: 30_000, label: '30 s' },
  { ttl: 60_000, label: '1 min' },
  { ttl: 300_000, label: '5 min' },
  { ttl: 900_000, label: '15 min' },
  { ttl: 3_600_000, label: '1 h' },
  { ttl: 86_400_000, label: '24 h' },
] as const;

export type TtlChoice = (typeof ttlChoices)[number];

export function isValidTtl(ttl: number): boolean {
  return Number.isInteger(ttl) && ttl >= expiry.minTtlMs && ttl <= expiry.maxTtlMs;
}
