import { coreCount, fmt } from '../report/format.js';
import { connectGroup, type GroupFigures, runGroupOnAll } from '../sut/group.js';
import { type ServerFigures, ServerMeter } from '../sut/server-meter.js';
import { type SutKind, startSut } from '../sut/sut.js';
import {
  disturbance,
  measureEach,
  othersCores,
  type ScenarioContext,
  type ScenarioOutcome,
  sleep,
} from './context.js';
import { type Column, rowMaker } from './rows.js';
import { runOptions, runTimings } from './runs.js';

type GroupMeasured = GroupFigures &
  ServerFigures & {
    /** Lines the servers logged at warn or above, from start to the end of the run. */
    serverComplaints: number;
    complaintSamples: string[];
    /** Group creation until every member's connection receives it (ms). */
    joinMs: number;
  };

/** In-flight cap per sender in the open loop: a stalled server shows as skipped sends. */
const OPEN_LOOP_CAP = 256;

/**
 * One group spread over two nodes on one Redis (members alternate between node A and node B),
 * against Socket.IO rooms with the redis-adapter doing the same. Two runs per system, each on a
 * fresh start: a closed loop (every sender keeps `window` sends in flight) for the most messages
 * each system delivers, then an open loop at one rate offered to both — `load` × the lower of the
 * two maxima — for latency that is not just queueing at saturation.
 */
export async function groups(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const o = ctx.options;
  const kinds: SutKind[] = ['ours-redis', 'socketio'];
  const closed = await measureEach(ctx, kinds, (kind) =>
    inGroup(ctx, kind, 'closed loop', { mode: 'closed', window: o.window, ratePerSec: 0 }),
  );
  const maxima = Object.values(closed).map((m) => m?.messageRate ?? Number.NaN);
  const offered = o.load * Math.min(...maxima);
  const open = Number.isFinite(offered)
    ? await measureEach(ctx, kinds, (kind) =>
        inGroup(ctx, kind, `open loop at ${Math.round(offered)} msg/s`, {
          mode: 'open',
          window: OPEN_LOOP_CAP,
          ratePerSec: offered,
        }),
      )
    : {};
  const columns: Column[] = ['ours-redis', 'socketio', { ratio: ['ours-redis', 'socketio'] }];
  const c = rowMaker(closed, columns);
  const r = rowMaker(open, columns);
  const members = `${o.groupSize} members`;
  return {
    table: {
      title: `Group chat across two nodes — ${members} (half on each node), ${o.groupSenders} senders`,
      columns: ['', 'ours (Redis)', 'Socket.IO 4 rooms', 'ours ÷ SIO'],
      rows: [
        c(`closed loop (window ${o.window}): messages/s acked`, (x) => x.messageRate, fmt.int),
        c(`  delivered msg/s (to all ${members})`, (x) => x.rate, fmt.int),
        c('  latency p50, other node (ms)', (x) => x.p50, fmt.ms),
        c('  latency p99, other node (ms)', (x) => x.p99, fmt.ms),
        c('  server CPU, both nodes (cores)', (x) => x.serverCores, fmt.cores),
        c('  server RSS, both nodes (MB)', (x) => x.serverRss, fmt.mb),
        c('  Redis CPU (cores)', (x) => x.redisCores ?? Number.NaN, fmt.cores),
        c('  generator CPU (cores)', (x) => x.generatorCores, fmt.cores),
        c('  generator loop delay p99 (ms)', (x) => x.generatorLoopP99, fmt.ms),
        c(`  other processes' CPU, approx. (cores of ${coreCount})`, othersCores, fmt.cores, false),
        r(`open loop: offered messages/s (same for both)`, () => offered, fmt.int, false),
        r(`  delivered msg/s (to all ${members})`, (x) => x.rate, fmt.int, false),
        r('  latency p50, other node (ms)', (x) => x.p50, fmt.ms),
        r('  latency p99, other node (ms)', (x) => x.p99, fmt.ms),
        r('  latency p99.9, other node (ms)', (x) => x.p999, fmt.ms),
        r('  latency p99, same node (ms)', (x) => x.sameNodeP99, fmt.ms),
        r('  server CPU, both nodes (cores)', (x) => x.serverCores, fmt.cores),
        r('  server RSS, both nodes (MB)', (x) => x.serverRss, fmt.mb),
        r('  Redis CPU (cores)', (x) => x.redisCores ?? Number.NaN, fmt.cores),
        r('  generator CPU (cores)', (x) => x.generatorCores, fmt.cores),
        r('  generator loop delay p99 (ms)', (x) => x.generatorLoopP99, fmt.ms),
        r(`  other processes' CPU, approx. (cores of ${coreCount})`, othersCores, fmt.cores, false),
        c(
          'deliveries missing, closed loop (acked × members − received)',
          (x) => x.missing,
          fmt.int,
          false,
        ),
        r('deliveries missing, open loop', (x) => x.missing, fmt.int, false),
        c(
          'group.create → every member in it (ms), closed-loop start',
          (x) => x.joinMs,
          fmt.ms,
          false,
        ),
        c('refused / closed / skipped, closed loop', failures, fmt.int, false),
        r('refused / closed / skipped, open loop', failures, fmt.int, false),
        c('server log lines at warn/error, closed loop', (x) => x.serverComplaints, fmt.int, false),
        r('server log lines at warn/error, open loop', (x) => x.serverComplaints, fmt.int, false),
      ],
      notes: [
        `Every message goes to all ${o.groupSize} members' sockets, the sender's included (ours: the protocol; Socket.IO: \`io.to(room).emit\`), so delivered = messages × ${o.groupSize}.`,
        "Latency is send → receipt at the members on the node other than the sender's (through Redis pub/sub: ours one publish per message, Socket.IO the redis-adapter).",
        `The closed loop gives each system's maximum; the open loop offers both the same rate, ${Math.round(o.load * 100)} % of the lower maximum, timed from when each send was due.`,
        "A generator loop delay p99 of tens of ms means the generator, sharing the cores, set the closed loop's pace and its latency: read latency in the open loop.",
        'Socket.IO members join the room once with `group.join` (membership checked in a Redis set), then a send checks `socket.rooms`; ours checks its per-node membership cache on every send.',
        ...disturbance(
          [...Object.values(closed), ...Object.values(open)].map((x) =>
            x ? othersCores(x) : undefined,
          ),
        ),
      ],
    },
    data: {
      options: {
        ...runOptions(ctx),
        groupSize: o.groupSize,
        groupSenders: o.groupSenders,
        load: o.load,
      },
      offered,
      closed,
      open,
    },
    goals: {},
  };
}

const failures = (x: GroupMeasured) => x.refused + x.closed + x.skipped;

/** Starts the system fresh on two nodes, builds the group, runs `run` once and meters it. */
async function inGroup(
  ctx: ScenarioContext,
  kind: SutKind,
  what: string,
  run: { mode: 'closed' | 'open'; window: number; ratePerSec: number },
): Promise<GroupMeasured> {
  const o = ctx.options;
  ctx.log(`groups: ${kind}, 2 nodes, ${o.groupSize} members, ${what}`);
  const sut = await startSut(kind, o.redisUrl, 2);
  try {
    const group = await connectGroup(sut, o.groupSize, o.groupSenders, o.workers);
    ctx.log(
      `groups: ${kind}: every member's connection in the group ${Math.round(group.joinMs)} ms after group.create`,
    );
    try {
      const { textLength, ttlMs, warmupMs, durationMs } = runTimings(o);
      const meter = new ServerMeter(sut);
      const figures = runGroupOnAll(group, { ...run, textLength, ttlMs, warmupMs, durationMs });
      await sleep(warmupMs);
      await meter.start();
      await sleep(durationMs);
      const server = await meter.stop();
      const load = await figures;
      const complaints = sut.servers.map((p) => p.complaints);
      const samples = complaints.flatMap((x) => x.first);
      for (const line of samples) ctx.log(`groups: ${kind} logged: ${line}`);
      return {
        ...load,
        ...server,
        serverComplaints: complaints.reduce((n, x) => n + x.count, 0),
        complaintSamples: samples,
        joinMs: group.joinMs,
      };
    } finally {
      await group.pool.close();
    }
  } finally {
    await sut.stop();
  }
}
