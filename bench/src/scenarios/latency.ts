import { fmt } from '../report/format.js';
import { runOnAll } from '../sut/pairs.js';
import type { SutKind } from '../sut/sut.js';
import { clusterColumns, withCluster } from './cluster-columns.js';
import { measureEach, type ScenarioContext, type ScenarioOutcome } from './context.js';
import { cpuRows, disturbanceNote, everySystemColumns, latencyRows, rowMaker } from './rows.js';
import {
  closedLoop,
  type Measured,
  measuredRun,
  runOptions,
  runTimings,
  withPairs,
} from './runs.js';

/** In-flight cap per connection in the open loop: a stalled server shows as skipped sends. */
const OPEN_LOOP_CAP = 256;

/**
 * Each system at a fixed 50 % of its own measured maximum (open loop: sends go out on schedule
 * whatever the replies do), so the latency is that of a loaded but not saturated server. The bare
 * relay is offered ours' rate instead: the floor that the generator and the machine set there.
 */
export async function latency(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'ours-memory', 'socketio'];
  const m: Partial<Record<SutKind, AtHalf>> = await measureEach(
    ctx,
    withCluster(ctx, kinds),
    (kind) => atHalfLoad(ctx, kind),
  );
  const ours = m['ours-redis'];
  if (ours) {
    const floor = await measureEach(ctx, ['relay'], (kind) => atHalfLoad(ctx, kind, ours.offered));
    Object.assign(m, floor);
  }
  const table = clusterColumns(m, everySystemColumns, [
    '',
    'ours (Redis)',
    'ours (Memory)',
    'Socket.IO 4',
    'ours ÷ SIO',
    "uWS relay at ours' rate",
    'ours ÷ relay',
  ]);
  const row = rowMaker(m, table.columns);
  return {
    table: {
      title: `Latency at ${pct(ctx)} of each system's maximum — ${ctx.options.pairs} pairs, open loop, ${ctx.options.duration} s measured`,
      columns: table.headers,
      rows: [
        row('maximum msg/s (measured)', (x) => x.maxRate, fmt.int),
        row(`offered msg/s (${pct(ctx)})`, (x) => x.offered, fmt.int),
        row('delivered msg/s', (x) => x.rate, fmt.int),
        ...latencyRows(row),
        row('latency max (ms)', (x) => x.max, fmt.ms),
        row('server CPU (cores)', (x) => x.serverCores, fmt.cores),
        ...cpuRows(row),
        row('sends skipped (window full)', (x) => x.skipped, fmt.int),
      ],
      notes: [
        'Each system is offered half of its own maximum (from the throughput scenario of this run, else measured here first).',
        "The relay is offered ours (Redis)'s rate instead: the latency the generator and the machine alone add at that rate.",
        'Sends are timed from when they were due, so a lagging generator counts against the server (no coordinated omission).',
        ...table.notes,
        ...disturbanceNote(m),
      ],
    },
    data: { options: runOptions(ctx), results: m },
    goals: ours && ctx.options.load === 0.5 ? { p99AtHalfLoad: ours.p99 } : {},
  };
}

type AtHalf = Measured & { maxRate: number; offered: number };

/** One system in the open loop at `load` × its maximum, or at `rate` when given. */
async function atHalfLoad(ctx: ScenarioContext, kind: SutKind, rate?: number): Promise<AtHalf> {
  const o = ctx.options;
  return withPairs(
    { kind, redisUrl: o.redisUrl, pairs: o.pairs, workers: o.workers },
    async (sut, pool) => {
      let max = ctx.maxRate[kind];
      if (max === undefined && rate === undefined) {
        ctx.log(`latency: ${kind}: measuring its maximum first`);
        const probe = await runOnAll(pool, closedLoop(o, 'both'));
        max = probe.rate;
        ctx.maxRate[kind] = max;
      }
      const target = rate ?? (max ?? Number.NaN) * o.load;
      ctx.log(
        rate === undefined
          ? `latency: ${kind} at ${Math.round(target)} msg/s (${pct(ctx)} of ${Math.round(max ?? 0)})`
          : `latency: ${kind} at ${Math.round(target)} msg/s (ours' rate)`,
      );
      const measured = await measuredRun(sut, pool, {
        ...runTimings(o),
        senders: 'both',
        mode: 'open',
        receipts: false,
        window: OPEN_LOOP_CAP,
        ratePerSec: target,
      });
      return { ...measured, maxRate: max ?? Number.NaN, offered: target };
    },
  );
}

const pct = (ctx: ScenarioContext) => `${Math.round(ctx.options.load * 100)} %`;
