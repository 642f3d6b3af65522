import type { ConnectResult } from '../load/commands.js';
import { WorkerPool } from '../load/pool.js';
import { maxOpenFiles } from '../proc/fd-limit.js';
import { memory, openFiles } from '../proc/proc-stats.js';
import { fmt } from '../report/format.js';
import { sourceAddress } from '../sut/pairs.js';
import { type SutKind, startSut } from '../sut/sut.js';
import { measureEach, type ScenarioContext, type ScenarioOutcome, sleep } from './context.js';

/** Connections per generator process (each on its own source address). */
const PER_WORKER = 4000;
/** Descriptors left free in the server for what it opens besides sockets (Redis, files, logs). */
const FD_HEADROOM = 50;
/** How long the connections are held idle before RSS is read and the open ones counted. */
const holdMs = (quick: boolean) => (quick ? 2000 : 8000);

interface Held {
  requested: number;
  attempted: number;
  connected: number;
  held: number;
  connectMs: number;
  rssBefore: number;
  rssAfter: number;
  peakRss: number;
  bytesPerConnection: number;
  serverFdLimit: number;
  firstError: string | undefined;
}

/**
 * N authenticated, idle connections spread over generator processes and source addresses:
 * server memory per connection (RSS after − RSS before, ÷ N) and the time to connect them all.
 */
export async function connections(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'socketio', 'relay'];
  const m = await measureEach(ctx, kinds, (kind) => hold(ctx, kind, 1));
  const [ours, sio, relay] = kinds.map((k) => m[k]);
  // One process cannot hold 20,000 sockets under a 20,000 open-files cap; two nodes on one Redis
  // (how the product scales: one node per core) can.
  const capped = ours !== undefined && ours.attempted < ours.requested;
  const pair = capped ? await hold(ctx, 'ours-redis', 2) : undefined;
  const row = (name: string, f: (x: Held) => number, show: (n: number) => string) => [
    name,
    show(ours ? f(ours) : Number.NaN),
    show(pair ? f(pair) : Number.NaN),
    show(sio ? f(sio) : Number.NaN),
    fmt.ratio(ours && f(ours), sio && f(sio)),
    show(relay ? f(relay) : Number.NaN),
  ];
  const best = pair && ours && pair.held > ours.held ? pair : ours;
  return {
    table: {
      title: `Idle authenticated connections — ${fmt.int(ours?.requested)} requested${capped ? ` (one process is capped by its open-files limit, ${fmt.int(ours.serverFdLimit)})` : ''}`,
      columns: ['', 'ours (Redis)', 'ours, 2 nodes', 'Socket.IO 4', 'ours ÷ SIO', 'uWS relay'],
      rows: [
        row('connections tried', (x) => x.attempted, fmt.int),
        row('connected', (x) => x.connected, fmt.int),
        row(`still open ${holdMs(ctx.options.quick) / 1000} s later`, (x) => x.held, fmt.int),
        row('time to connect all (s)', (x) => x.connectMs, fmt.s),
        row('connections/s', (x) => x.connected / (x.connectMs / 1000), fmt.int),
        row('server RSS before (MB)', (x) => x.rssBefore, fmt.mb),
        row('server RSS after (MB)', (x) => x.rssAfter, fmt.mb),
        row('server peak RSS (MB)', (x) => x.peakRss, fmt.mb),
        row('server memory per connection (KB)', (x) => x.bytesPerConnection, fmt.kb),
      ],
      notes: [
        `Generators: ${PER_WORKER.toLocaleString('en-US')} connections per process, each process on its own source address (127.0.0.2, .3, …).`,
        'Ours authenticates with the token in the first frame; Socket.IO in the handshake; the relay takes any token.',
        '"ours, 2 nodes": two server processes on one Redis, each generator process on one of them (alternately); RSS figures are the sum of both. Run only when one process is capped.',
      ],
    },
    data: { results: { ...m, ...(pair ? { 'ours-redis-2-nodes': pair } : {}) } },
    goals: best
      ? {
          bytesPerConnection: ours?.bytesPerConnection ?? best.bytesPerConnection,
          connectionsHeld: best.held,
          ...(best.attempted < best.requested ? { connectionsCappedAt: best.serverFdLimit } : {}),
        }
      : {},
  };
}

async function hold(ctx: ScenarioContext, kind: SutKind, nodes: number): Promise<Held> {
  const requested = ctx.options.connections;
  const sut = await startSut(kind, ctx.options.redisUrl, nodes);
  try {
    const pids = sut.servers.map((s) => s.pid);
    const serverFdLimit = Math.min(...pids.map(maxOpenFiles));
    const room = pids.reduce((sum, pid) => sum + serverFdLimit - openFiles(pid) - FD_HEADROOM, 0);
    const attempted = Math.max(0, Math.min(requested, room));
    ctx.log(`connections: ${kind} on ${nodes} node(s): preparing ${attempted} users`);
    const users = await sut.users(attempted);
    await sleep(1000);
    const rss = () => {
      const each = pids.map(memory);
      return {
        rss: each.reduce((s, x) => s + x.rss, 0),
        peakRss: each.reduce((s, x) => s + x.peakRss, 0),
      };
    };
    const rssBefore = rss().rss;
    const workers = Math.max(1, Math.ceil(attempted / PER_WORKER));
    const pool = await WorkerPool.start(workers);
    try {
      ctx.log(`connections: ${kind}: connecting ${attempted} from ${workers} processes`);
      const t0 = performance.now();
      const results = await pool.all<ConnectResult>((w) => {
        const url = sut.servers[w % nodes]?.url;
        return {
          op: 'connect',
          dialect: sut.dialect,
          users: users
            .slice(w * PER_WORKER, (w + 1) * PER_WORKER)
            .map((u) => (url ? { ...u, url } : u)),
          localAddress: sourceAddress(w),
          concurrency: 50,
        };
      });
      const connectMs = performance.now() - t0;
      // RSS is read at the end of the hold, once the server has had time to collect garbage.
      await sleep(holdMs(ctx.options.quick));
      const { rss: rssAfter, peakRss } = rss();
      const status = await pool.all<{ open: number }>({ op: 'status' });
      const connected = results.reduce((s, r) => s + r.connected, 0);
      return {
        requested,
        attempted,
        connected,
        held: status.reduce((s, r) => s + r.open, 0),
        connectMs,
        rssBefore,
        rssAfter,
        peakRss,
        bytesPerConnection: connected > 0 ? (rssAfter - rssBefore) / connected : Number.NaN,
        serverFdLimit,
        firstError: results.find((r) => r.firstError)?.firstError,
      };
    } finally {
      await pool.close();
    }
  } finally {
    await sut.stop();
  }
}
