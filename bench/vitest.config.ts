import { defineConfig } from 'vitest/config';

// bench/ has its own config: the root one runs the packages' suites only.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 10_000 },
});
