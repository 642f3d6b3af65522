import type { SutKind } from '../sut/sut.js';
import { measureEach, type ScenarioContext, type ScenarioOutcome } from './context.js';
import { closedLoopRows, disturbanceNote, everySystemColumns, rowMaker } from './rows.js';
import { closedLoop, type Measured, measuredRun, runOptions, withPairs } from './runs.js';

/**
 * P pairs exchange messages as fast as each system acknowledges them, `window` unacknowledged
 * sends per connection (closed loop). One fresh system per column.
 */
export async function throughput(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'ours-memory', 'socketio', 'relay'];
  const m = await measureEach(ctx, kinds, async (kind) => {
    ctx.log(`throughput: ${kind}, ${ctx.options.pairs} pairs, window ${ctx.options.window}`);
    const measured = await measureMax(ctx, kind);
    ctx.maxRate[kind] = measured.rate;
    return measured;
  });
  const [r, sio, relay] = [m['ours-redis'], m.socketio, m.relay];
  const row = rowMaker(m, everySystemColumns);
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
      rows: closedLoopRows(row, {
        delivered: 'delivered msg/s',
        serverCpu: 'server CPU (cores)',
        serverRss: 'server RSS (MB)',
      }),
      notes: [
        '"ours ÷" columns compare ours (Redis); for latency rows below 1× means ours is faster.',
        'Latency: send → delivery at the peer, in the generator (both ends in one process).',
        ...disturbanceNote(m),
      ],
    },
    data: { options: runOptions(ctx), results: m },
    goals: {
      ...(r && sio ? { throughputVsSocketIo: r.rate / sio.rate } : {}),
      ...(r && relay ? { throughputVsRelay: r.rate / relay.rate } : {}),
    },
  };
}

/** Starts a fresh system, connects the pairs, runs the closed loop and measures everything. */
export async function measureMax(ctx: ScenarioContext, kind: SutKind): Promise<Measured> {
  const o = ctx.options;
  return withPairs(
    { kind, redisUrl: o.redisUrl, pairs: o.pairs, workers: o.workers },
    (sut, pool) => measuredRun(sut, pool, closedLoop(o, 'both')),
  );
}
