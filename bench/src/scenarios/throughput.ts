import { benchMetricsEnv, whileScraping } from '../load/metrics-scraper.js';
import { fmt } from '../report/format.js';
import { type SutKind, type SystemKey, systemOf } from '../sut/sut.js';
import { clusterColumns, withCluster } from './cluster-columns.js';
import { measureEach, type ScenarioContext, type ScenarioOutcome } from './context.js';
import { type Column, closedLoopRows, disturbanceNote, rowMaker } from './rows.js';
import { closedLoop, type Measured, measuredRun, runOptions, withPairs } from './runs.js';

/** Run order: each engine's receipts run right after its send-only run, then the others. */
const systems: SystemKey[] = [
  'ours-redis',
  'ours-redis+receipts',
  'ours-memory',
  'ours-memory+receipts',
  'socketio',
  'relay',
];

/** The columns: each system, receipts ÷ send-only per engine, ours (Redis) ÷ the others. */
export const throughputColumns: Column<SystemKey>[] = [
  'ours-redis',
  'ours-redis+receipts',
  { ratio: ['ours-redis+receipts', 'ours-redis'] },
  'ours-memory',
  'ours-memory+receipts',
  { ratio: ['ours-memory+receipts', 'ours-memory'] },
  'socketio',
  { ratio: ['ours-redis', 'socketio'] },
  'relay',
  { ratio: ['ours-redis', 'relay'] },
];

/**
 * What a receipts run carried, as a send-only rate compares with it: messages delivered, but no
 * more than the reads answered (a run whose reads fell behind does not count its lead).
 */
export const receiptsRate = (x: Measured): number => Math.min(x.rate, x.readRate);

/**
 * P pairs exchange messages as fast as each system acknowledges them, `window` unacknowledged
 * sends per connection (closed loop). One fresh system per column; the "+ reads" columns are the
 * same system again with every receiver sending a `read` for each message it gets.
 */
export async function throughput(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const m = await measureEach(ctx, withCluster(ctx, systems), async (key) => {
    ctx.log(`throughput: ${key}, ${ctx.options.pairs} pairs, window ${ctx.options.window}`);
    const { kind, receipts } = systemOf(key);
    const measured = await measureMax(ctx, kind, receipts);
    if (!receipts) ctx.maxRate[kind] = measured.rate;
    return measured;
  });
  const [r, rr, sio, relay] = [m['ours-redis'], m['ours-redis+receipts'], m.socketio, m.relay];
  const table = clusterColumns(m, throughputColumns, [
    '',
    'ours (Redis)',
    'Redis + reads',
    'reads ÷ send-only',
    'ours (Memory)',
    'Memory + reads',
    'reads ÷ send-only',
    'Socket.IO 4',
    'ours ÷ SIO',
    'uWS relay',
    'ours ÷ relay',
  ]);
  const row = rowMaker(m, table.columns);
  const receiptRow = (name: string, figure: (x: Measured) => number, show: (n: number) => string) =>
    row(name, (x) => (x.readsSent > 0 ? figure(x) : Number.NaN), show, false);
  return {
    table: {
      title: `Throughput — ${ctx.options.pairs} pairs, window ${ctx.options.window}, TTL ${ctx.options.ttl} s, ${ctx.options.duration} s measured${ctx.options.metrics ? ', ours with /metrics on (METRICS_TOKEN, scraped every 1 s)' : ''}`,
      columns: table.headers,
      rows: [
        ...closedLoopRows(row, {
          delivered: 'delivered msg/s',
          serverCpu: 'server CPU (cores)',
          serverRss: 'server RSS (MB)',
        }),
        receiptRow('read marks answered/s', (x) => x.readRate, fmt.int),
        receiptRow(
          'read events received/s (2 per mark that moved)',
          (x) => x.readEventRate,
          fmt.int,
        ),
        receiptRow('read marks refused', (x) => x.readsRefused, fmt.int),
      ],
      notes: [
        '"ours ÷" columns compare ours (Redis); for latency rows below 1× means ours is faster.',
        '"+ reads": the same system, and every receiver sends one `read` {room, seq} for each message it gets, as it gets it. ' +
          'Its reply and, when the mark moved, the two `read` events (to the peer, and echoed to the reader) are traffic, not delivered messages. ' +
          "A mark below the reader's own latest send does not move (a send marks the sender's read seq), so in this two-way traffic many marks are answered without events. " +
          '"reads ÷ send-only" above 1× on a latency row means receipts are slower.',
        'Latency: send → delivery at the peer, in the generator (both ends in one process).',
        ...table.notes,
        ...disturbanceNote(m),
      ],
    },
    data: { options: runOptions(ctx), results: m },
    goals: {
      ...(r && sio ? { throughputVsSocketIo: r.rate / sio.rate } : {}),
      ...(r && relay ? { throughputVsRelay: r.rate / relay.rate } : {}),
      ...(r && rr ? { receiptsVsSendOnly: receiptsRate(rr) / r.rate } : {}),
    },
  };
}

/** Starts a fresh system, connects the pairs, runs the closed loop and measures everything. */
export async function measureMax(
  ctx: ScenarioContext,
  kind: SutKind,
  receipts = false,
): Promise<Measured> {
  const o = ctx.options;
  // --metrics: ours with /metrics on and scraped every second (the overhead's A/B).
  const metrics = o.metrics && kind.startsWith('ours');
  return withPairs(
    {
      kind,
      redisUrl: o.redisUrl,
      pairs: o.pairs,
      workers: o.workers,
      ...(metrics ? { env: benchMetricsEnv } : {}),
    },
    (sut, pool) => {
      const run = () => measuredRun(sut, pool, closedLoop(o, 'both', receipts));
      return metrics
        ? whileScraping(
            sut.servers.map((s) => s.url),
            run,
          )
        : run();
    },
  );
}
