/**
 * Message expiry. Every TTL is in milliseconds; `expiresAt = server time at write + ttl`.
 * Any whole-millisecond TTL within [minTtlMs, maxTtlMs] is valid; `ttlChoices` are the ones
 * a user interface offers.
 */
export const expiry = {
  minTtlMs: 10_000,
  maxTtlMs: 86_400_000,
  defaultTtlMs: 3_600_000,
  /**
   * Burn after reading: once the recipient first reads a message sent with `burn`, it expires
   * `burn` ms later, or at its `expiresAt` if that comes first (the TTL stays the hard cap).
   * At least 5 s, at most the message's TTL.
   */
  minBurnMs: 5_000,
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

/** The burn-after-reading delays a user interface offers (any whole ms ≥ minBurnMs and ≤ the TTL is valid). */
export const burnChoices = [
  { burn: 5_000, label: '5 s' },
  { burn: 10_000, label: '10 s' },
  { burn: 30_000, label: '30 s' },
  { burn: 60_000, label: '1 min' },
  { burn: 300_000, label: '5 min' },
  { burn: 3_600_000, label: '1 h' },
] as const;

export type BurnChoice = (typeof burnChoices)[number];

export function isValidTtl(ttl: number): boolean {
  return Number.isInteger(ttl) && ttl >= expiry.minTtlMs && ttl <= expiry.maxTtlMs;
}
