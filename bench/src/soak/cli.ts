import { soakOptions } from './options.js';
import { failures, formatResult, writeResult } from './report.js';
import { runSoak } from './run.js';

/**
 * `npm run soak`: faults under load, then the counts (bench/README.md, "Soak"). Exits 1 when a
 * counter that must be 0 is not, 2 when the run itself failed.
 */
const controller = new AbortController();
// Ctrl-C stops the run and cleans up (schema, processes) instead of exiting at once; a second
// one exits at once (children.ts still kills every child on exit).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.once(signal, () => {
    console.error(`soak: ${signal}, stopping`);
    controller.abort();
    process.once(signal, () => process.exit(130));
  });
}

const log = (s: string) => console.error(`soak: ${s}`);
const t0 = Date.now();
try {
  const options = soakOptions();
  const result = await runSoak(options, controller.signal, log);
  console.log(formatResult(result));
  log(`written to ${writeResult(result)} (${Math.round((Date.now() - t0) / 1000)} s in all)`);
  const failed = failures(result.summary);
  if (failed.length) log(`FAILED: ${failed.join(', ')} must be 0`);
  process.exit(failed.length ? 1 : 0);
} catch (err) {
  log(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(controller.signal.aborted ? 130 : 2);
}
