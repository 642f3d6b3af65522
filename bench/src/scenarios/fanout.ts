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

/**
 * Two server processes on one Redis: each pair's sender is connected to node A and its receiver
 * to node B, so every delivery crosses Redis pub/sub (ours: the Lua PUBLISH; Socket.IO: the
 * redis-adapter). Closed loop as in throughput; only the node-A side sends.
 */
export async function fanout(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'socketio'];
  const m: Partial<Record<SutKind, Measured>> = {};
  for (const kind of selected(ctx, kinds)) m[kind] = await acrossNodes(ctx, kind);
  const [ours, sio] = [m['ours-redis'], m.socketio];
  const row = (
    name: string,
    f: (x: Measured) => number,
    show: (n: number) => string,
    compare = true,
  ) => [
    name,
    show(ours ? f(ours) : Number.NaN),
    show(sio ? f(sio) : Number.NaN),
    compare ? fmt.ratio(ours && f(ours), sio && f(sio)) : '—',
  ];
  return {
    table: {
      title: `Fan-out across two nodes — ${ctx.options.pairs} pairs (sender on A, receiver on B), window ${ctx.options.window}`,
      columns: ['', 'ours (Redis)', 'Socket.IO 4', 'ours ÷ SIO'],
      rows: [
        row('delivered msg/s (A → B)', (x) => x.rate, fmt.int),
        row('latency p50 (ms)', (x) => x.p50, fmt.ms),
        row('latency p99 (ms)', (x) => x.p99, fmt.ms),
        row('latency p99.9 (ms)', (x) => x.p999, fmt.ms),
        row('server CPU, both nodes (cores)', (x) => x.serverCores, fmt.cores),
        row('server RSS, both nodes (MB)', (x) => x.serverRss, fmt.mb),
        row('Redis CPU (cores)', (x) => x.redisCores ?? Number.NaN, fmt.cores),
        row('generator CPU (cores)', (x) => x.generatorCores, fmt.cores),
        row('generator loop delay p99 (ms)', (x) => x.generatorLoopP99, fmt.ms),
        row(`other processes' CPU, approx. (cores of ${coreCount})`, othersCores, fmt.cores, false),
        row('refused / closed', (x) => x.refused + x.closed, fmt.int),
      ],
      notes: [
        'The bare relay has no cross-node path, so it has no column here.',
        ...disturbance(kinds.map((k) => m[k] && othersCores(m[k]))),
      ],
    },
    data: { options: pick(ctx), results: m },
    goals: {},
  };
}

async function acrossNodes(ctx: ScenarioContext, kind: SutKind): Promise<Measured> {
  const o = ctx.options;
  ctx.log(`fanout: ${kind}, 2 nodes, ${o.pairs} pairs`);
  const sut = await startSut(kind, o.redisUrl, 2);
  try {
    const nodeB = sut.servers[1]?.url ?? '';
    const users = (await sut.users(2 * o.pairs)).map((u, i) => (i % 2 ? { ...u, url: nodeB } : u));
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
        senders: 'first',
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
