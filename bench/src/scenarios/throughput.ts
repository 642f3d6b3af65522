import { coreCount, fmt } from '../report/format.js';
import { connectPairs, type LoadFigures, runOnAll } from '../sut/pairs.js';
import { type ServerFigures, ServerMeter } from '../sut/server-meter.js';
import { type SutKind, startSut } from '../sut/sut.js';
import {
  disturbance,
  othersCores,
  type ScenarioContext,
  type ScenarioOutcome,
  selected,
  sleep,
} from './context.js';

export type Measured = LoadFigures & ServerFigures;

/**
 * P pairs exchange messages as fast as each system acknowledges them, `window` unacknowledged
 * sends per connection (closed loop). One fresh system per column.
 */
export async function throughput(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'ours-memory', 'socketio', 'relay'];
  const m: Partial<Record<SutKind, Measured>> = {};
  for (const kind of selected(ctx, kinds)) {
    ctx.log(`throughput: ${kind}, ${ctx.options.pairs} pairs, window ${ctx.options.window}`);
    m[kind] = await measureMax(ctx, kind);
    ctx.maxRate[kind] = m[kind].rate;
  }
  const [r, mem, sio, relay] = kinds.map((k) => m[k]);
  const row = (
    name: string,
    f: (x: Measured) => number,
    show: (n: number) => string,
    compare = true,
  ) => {
    const v = (x: Measured | undefined) => (x ? f(x) : undefined);
    return [
      name,
      show(v(r) ?? Number.NaN),
      show(v(mem) ?? Number.NaN),
      show(v(sio) ?? Number.NaN),
      compare ? fmt.ratio(v(r), v(sio)) : '—',
      show(v(relay) ?? Number.NaN),
      compare ? fmt.ratio(v(r), v(relay)) : '—',
    ];
  };
  return {
    table: {
      title: `Throughput — ${ctx.options.pairs} pairs, window ${ctx.options.window}, TTL ${ctx.options.ttl} s, ${ctx.options.duration} s measured`,
      columns: [
        '',
        'ours (Redis)',
        'ours (Memory)',
        'Socket.IO 4',
        'ours ÷ SIO',
        'uWS relay',
        'ours ÷ relay',
      ],
      rows: [
        row('delivered msg/s', (x) => x.rate, fmt.int),
        row('latency p50 (ms)', (x) => x.p50, fmt.ms),
        row('latency p99 (ms)', (x) => x.p99, fmt.ms),
        row('latency p99.9 (ms)', (x) => x.p999, fmt.ms),
        row('server CPU (cores)', (x) => x.serverCores, fmt.cores),
        row('server RSS (MB)', (x) => x.serverRss, fmt.mb),
        row('Redis CPU (cores)', (x) => x.redisCores ?? Number.NaN, fmt.cores),
        row('generator CPU (cores)', (x) => x.generatorCores, fmt.cores),
        row('generator loop delay p99 (ms)', (x) => x.generatorLoopP99, fmt.ms),
        row(`other processes' CPU, approx. (cores of ${coreCount})`, othersCores, fmt.cores, false),
        row('refused / closed', (x) => x.refused + x.closed, fmt.int),
      ],
      notes: [
        '"ours ÷" columns compare ours (Redis); for latency rows below 1× means ours is faster.',
        'Latency: send → delivery at the peer, in the generator (both ends in one process).',
        ...disturbance(kinds.map((k) => m[k] && othersCores(m[k]))),
      ],
    },
    data: { options: pick(ctx), results: m },
    goals: {
      ...(r && sio ? { throughputVsSocketIo: r.rate / sio.rate } : {}),
      ...(r && relay ? { throughputVsRelay: r.rate / relay.rate } : {}),
    },
  };
}

/** Starts a fresh system, connects the pairs, runs the closed loop and measures everything. */
export async function measureMax(ctx: ScenarioContext, kind: SutKind): Promise<Measured> {
  const o = ctx.options;
  const sut = await startSut(kind, o.redisUrl);
  try {
    const users = await sut.users(2 * o.pairs);
    const pool = await connectPairs(sut, users, o.workers);
    try {
      const meter = new ServerMeter(sut);
      const run = runOnAll(pool, {
        mode: 'closed',
        window: o.window,
        ratePerSec: 0,
        warmupMs: o.warmup * 1000,
        durationMs: o.duration * 1000,
        ttlMs: o.ttl * 1000,
        textLength: o.textLength,
        senders: 'both',
      });
      await sleep(o.warmup * 1000);
      await meter.start();
      await sleep(o.duration * 1000);
      const server = await meter.stop();
      return { ...(await run), ...server };
    } finally {
      await pool.close();
    }
  } finally {
    await sut.stop();
  }
}

export function pick(ctx: ScenarioContext) {
  const { pairs, window, duration, warmup, workers, ttl, textLength, quick } = ctx.options;
  return { pairs, window, duration, warmup, workers, ttl, textLength, quick };
}
