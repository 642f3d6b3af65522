import { fileURLToPath } from 'node:url';
import { parseOptions, type ScenarioName } from './options.js';
import { calibrate, machine, writeResult } from './report/results.js';
import { printTable } from './report/table.js';
import { connections } from './scenarios/connections.js';
import type { GoalFigures, ScenarioContext, ScenarioOutcome } from './scenarios/context.js';
import { expiry } from './scenarios/expiry.js';
import { fanout } from './scenarios/fanout.js';
import { printGoals } from './scenarios/goals.js';
import { groups } from './scenarios/groups.js';
import { latency } from './scenarios/latency.js';
import { sizing } from './scenarios/sizing.js';
import { throughput } from './scenarios/throughput.js';
import './targets/children.js';

const scenarios: Record<ScenarioName, (ctx: ScenarioContext) => Promise<ScenarioOutcome>> = {
  throughput,
  latency,
  connections,
  fanout,
  groups,
  expiry,
  sizing,
};

const resultsDir = fileURLToPath(new URL('../results', import.meta.url));

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), resultsDir);
  const runId = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const started = performance.now();
  const ctx: ScenarioContext = {
    options,
    runId,
    maxRate: {},
    log: (line) =>
      console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`),
  };
  console.log(`# ephemeral-chat benchmarks — run ${runId}${options.quick ? ' (quick)' : ''}`);
  const host = machine(calibrate());
  console.log(
    `\nHost: ${host.cpuModel}, ${host.cores} cores, Node.js ${host.node}; speed calibration ` +
      `${host.calibrationMs} ms (a fixed single-thread workload; lower is faster, compare runs by it).`,
  );
  const goals: Partial<GoalFigures> = {};
  for (const name of options.scenarios) {
    const outcome = await scenarios[name](ctx);
    printTable(outcome.table);
    Object.assign(goals, outcome.goals);
    const path = writeResult(options.resultsDir, runId, name, host, {
      table: outcome.table,
      ...outcome.data,
    });
    ctx.log(`${name}: results in ${path}`);
  }
  printGoals(goals);
  ctx.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
