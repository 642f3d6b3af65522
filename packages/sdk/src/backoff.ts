/**
 * Reconnect delay for attempt `attempt` (0 for the first retry): exponential, capped, with "full
 * jitter" (a uniform draw in [0, cap)) so that clients dropped together by one server restart do
 * not come back together (AWS Architecture Blog, "Exponential Backoff and Jitter").
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
