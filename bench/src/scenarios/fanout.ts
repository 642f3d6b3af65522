import type { SutKind } from '../sut/sut.js';
import { measureEach, type ScenarioContext, type ScenarioOutcome } from './context.js';
import { closedLoopRows, disturbanceNote, rowMaker } from './rows.js';
import { closedLoop, type Measured, measuredRun, runOptions, withPairs } from './runs.js';

/**
 * Two server processes on one Redis: each pair's sender is connected to node A and its receiver
 * to node B, so every delivery crosses Redis pub/sub (ours: the Lua PUBLISH; Socket.IO: the
 * redis-adapter). Closed loop as in throughput; only the node-A side sends.
 */
export async function fanout(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'socketio'];
  const m = await measureEach(ctx, kinds, (kind) => acrossNodes(ctx, kind));
  const row = rowMaker(m, ['ours-redis', 'socketio', { ratio: ['ours-redis', 'socketio'] }]);
  return {
    table: {
      title: `Fan-out across two nodes — ${ctx.options.pairs} pairs (sender on A, receiver on B), window ${ctx.options.window}`,
      columns: ['', 'ours (Redis)', 'Socket.IO 4', 'ours ÷ SIO'],
      rows: closedLoopRows(row, {
        delivered: 'delivered msg/s (A → B)',
        serverCpu: 'server CPU, both nodes (cores)',
        serverRss: 'server RSS, both nodes (MB)',
      }),
      notes: [
        'The bare relay has no cross-node path, so it has no column here.',
        ...disturbanceNote(m),
      ],
    },
    data: { options: runOptions(ctx), results: m },
    goals: {},
  };
}

async function acrossNodes(ctx: ScenarioContext, kind: SutKind): Promise<Measured> {
  const o = ctx.options;
  ctx.log(`fanout: ${kind}, 2 nodes, ${o.pairs} pairs`);
  return withPairs(
    {
      kind,
      redisUrl: o.redisUrl,
      nodes: 2,
      pairs: o.pairs,
      workers: o.workers,
      // Each pair's second user (the receiver) connects to node B.
      place: (users, sut) => {
        const nodeB = sut.servers[1]?.url ?? '';
        return users.map((u, i) => (i % 2 ? { ...u, url: nodeB } : u));
      },
    },
    (sut, pool) => measuredRun(sut, pool, closedLoop(o, 'first')),
  );
}
