/**
 * How much one fuzz run does. `npm test` runs the small defaults; `npm run fuzz` sets the env
 * (vitest.fuzz.config.ts) for the big run. Every run is bounded by count and by wall clock.
 */
function num(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export const fuzzConfig = {
  /** WebSocket frames per engine. */
  frames: num('FUZZ_FRAMES', 1500),
  /** HTTP requests per engine. */
  requests: num('FUZZ_HTTP', 300),
  /** Wall-clock budget per engine and suite, in ms: the run stops there and says so. */
  budgetMs: num('FUZZ_BUDGET_S', 12) * 1000,
  /** Seed for every generator, printed with the summary so a run can be repeated. */
  seed: num('FUZZ_SEED', Date.now() % 2 ** 31),
  /** Server RSS may grow this much over its size after start-up. */
  rssGrowthMaxBytes: num('FUZZ_RSS_GROWTH_MB', 512) * 1024 * 1024,
  /** Frames per socket per batch, and sockets sending at once. */
  batch: 24,
} as const;

/** Per-test timeout: the budget, plus start-up and teardown for both engines. */
export const fuzzTimeoutMs = 2 * fuzzConfig.budgetMs + 60_000;
