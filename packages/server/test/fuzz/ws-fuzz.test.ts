import { describe, expect, it } from 'vitest';
import { fuzzConfig, fuzzTimeoutMs } from './fuzz-config.js';
import { unthrottled } from './server-process.js';
import { runWsFuzz } from './ws-runner.js';

/**
 * Every client frame type, well-formed, near-miss and hostile, against the built server (a child
 * process, so a crash is seen, not suffered). `npm test` runs a sample; `npm run fuzz` the full run.
 */
describe.each([
  { engine: 'MemoryEngine', redis: false },
  { engine: 'RedisEngine', redis: true },
])('WebSocket fuzzing with $engine', ({ redis }) => {
  it(
    'answers every frame as documented, never exits, and keeps memory bounded',
    async () => {
      const report = await runWsFuzz({ redis, ...fuzzConfig, env: unthrottled });
      console.log(report.summary('ws'));
      expect(report.frames).toBeGreaterThan(0);
      expect([...report.failures.keys()]).toEqual([]);
    },
    fuzzTimeoutMs,
  );
});
