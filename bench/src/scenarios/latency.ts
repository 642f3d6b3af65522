import { coreCount, fmt } from '../report/format.js';
import { connectPairs, runOnAll } from '../sut/pairs.js';
import { ServerMeter } from '../sut/server-meter.js';
import { type SutKind, startSut } from '../sut/sut.js';
import {
  disturbance,
  othersCores,
  type ScenarioContext,
  type ScenarioOutcome,
  selected,
  sleep,
} from './context.js';
import { type Measured, pick } from './throughput.js';

/** In-flight cap per connection in the open loop: a stalled server shows as skipped sends. */
const OPEN_LOOP_CAP = 256;

/**
 * Each system at a fixed 50 % of its own measured maximum (open loop: sends go out on schedule
 * whatever the replies do), so the latency is that of a loaded but not saturated server.
 */
export async function latency(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'ours-memory', 'socketio'];
  const m: Partial<Record<SutKind, AtHalf>> = {};
  for (const kind of selected(ctx, kinds)) m[kind] = await atHalfLoad(ctx, kind);
  const [ours, mem, sio] = [m['ours-redis'], m['ours-memory'], m.socketio];
  const row = (
    name: string,
    f: (x: AtHalf) => number,
    show: (n: number) => string,
    compare = true,
  ) => [
    name,
    show(ours ? f(ours) : Number.NaN),
    show(mem ? f(mem) : Number.NaN),
    show(sio ? f(sio) : Number.NaN),
    compare ? fmt.ratio(ours && f(ours), sio && f(sio)) : '—',
  ];
  return {
    table: {
      title: `Latency at ${pct(ctx)} of each system's maximum — ${ctx.options.pairs} pairs, open loop, ${ctx.options.duration} s measured`,
      columns: ['', 'ours (Redis)', 'ours (Memory)', 'Socket.IO 4', 'ours ÷ SIO'],
      rows: [
        row('maximum msg/s (measured)', (x) => x.maxRate, fmt.int),
        row(`offered msg/s (${pct(ctx)})`, (x) => x.offered, fmt.int),
        row('delivered msg/s', (x) => x.rate, fmt.int),
        row('latency p50 (ms)', (x) => x.p50, fmt.ms),
        row('latency p99 (ms)', (x) => x.p99, fmt.ms),
        row('latency p99.9 (ms)', (x) => x.p999, fmt.ms),
        row('latency max (ms)', (x) => x.max, fmt.ms),
        row('server CPU (cores)', (x) => x.serverCores, fmt.cores),
        row('Redis CPU (cores)', (x) => x.redisCores ?? Number.NaN, fmt.cores),
        row('generator CPU (cores)', (x) => x.generatorCores, fmt.cores),
        row('generator loop delay p99 (ms)', (x) => x.generatorLoopP99, fmt.ms),
        row(`other processes' CPU, approx. (cores of ${coreCount})`, othersCores, fmt.cores, false),
        row('sends skipped (window full)', (x) => x.skipped, fmt.int),
      ],
      notes: [
        'Each system is offered half of its own maximum (from the throughput scenario of this run, else measured here first).',
        'Sends are timed from when they were due, so a lagging generator counts against the server (no coordinated omission).',
        ...disturbance(kinds.map((k) => m[k] && othersCores(m[k]))),
      ],
    },
    data: { options: pick(ctx), results: m },
    goals: ours && ctx.options.load === 0.5 ? { p99AtHalfLoad: ours.p99 } : {},
  };
}

type AtHalf = Measured & { maxRate: number; offered: number };

async function atHalfLoad(ctx: ScenarioContext, kind: SutKind): Promise<AtHalf> {
  const o = ctx.options;
  const sut = await startSut(kind, o.redisUrl);
  try {
    const users = await sut.users(2 * o.pairs);
    const pool = await connectPairs(sut, users, o.workers);
    try {
      const base = {
        warmupMs: o.warmup * 1000,
        durationMs: o.duration * 1000,
        ttlMs: o.ttl * 1000,
        textLength: o.textLength,
        senders: 'both' as const,
      };
      let max = ctx.maxRate[kind];
      if (max === undefined) {
        ctx.log(`latency: ${kind}: measuring its maximum first`);
        const probe = await runOnAll(pool, {
          ...base,
          mode: 'closed',
          window: o.window,
          ratePerSec: 0,
        });
        max = probe.rate;
        ctx.maxRate[kind] = max;
      }
      const target = max * o.load;
      ctx.log(
        `latency: ${kind} at ${Math.round(target)} msg/s (${pct(ctx)} of ${Math.round(max)})`,
      );
      const meter = new ServerMeter(sut);
      const run = runOnAll(pool, {
        ...base,
        mode: 'open',
        window: OPEN_LOOP_CAP,
        ratePerSec: target,
      });
      await sleep(base.warmupMs);
      await meter.start();
      await sleep(base.durationMs);
      const server = await meter.stop();
      return { ...(await run), ...server, maxRate: max, offered: target };
    } finally {
      await pool.close();
    }
  } finally {
    await sut.stop();
  }
}

const pct = (ctx: ScenarioContext) => `${Math.round(ctx.options.load * 100)} %`;
