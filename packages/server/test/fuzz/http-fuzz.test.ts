import { describe, expect, it } from 'vitest';
import { fuzzConfig, fuzzTimeoutMs } from './fuzz-config.js';
import { runHttpFuzz } from './http-runner.js';
import { unthrottled } from './server-process.js';

/** Every route and body, well-formed, near-miss and hostile, plus odd methods and content types. */
describe.each([
  { engine: 'MemoryEngine', redis: false },
  { engine: 'RedisEngine', redis: true },
])('HTTP fuzzing with $engine', ({ redis }) => {
  it(
    'answers every request as documented and never exits',
    async () => {
      const report = await runHttpFuzz({ redis, ...fuzzConfig, env: unthrottled });
      console.log(report.summary('http'));
      expect(report.requests).toBeGreaterThan(0);
      expect([...report.failures.keys()]).toEqual([]);
    },
    fuzzTimeoutMs,
  );
});
