import { defineConfig } from 'vitest/config';

// `npm run fuzz`: the same suites as the `npm test` sample, at full size. Each engine's run is
// bounded by count and by a wall-clock budget (FUZZ_BUDGET_S), so the whole run stops by itself.
process.env.FUZZ_FRAMES ??= '100000';
process.env.FUZZ_HTTP ??= '10000';
process.env.FUZZ_BUDGET_S ??= '300';

export default defineConfig({
  test: {
    include: ['packages/server/test/fuzz/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
