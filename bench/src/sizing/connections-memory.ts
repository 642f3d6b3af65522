import type { ConnectResult } from '../load/commands.js';
import { WorkerPool } from '../load/pool.js';
import { maxOpenFiles } from '../proc/fd-limit.js';
import { CpuMeter, memory, openFiles } from '../proc/proc-stats.js';
import { sleep } from '../scenarios/context.js';
import { sourceAddress } from '../sut/pairs.js';
import { startSut } from '../sut/sut.js';
import { collectGarbage } from './collect-garbage.js';
import { metricsEnv, scrapeMetric } from './metrics-scrape.js';

/** Connections per generator process, each process on its own source address. */
const PER_WORKER = 4000;
const FD_HEADROOM = 50;
/** Chats each generator opens at once. */
const OPEN_BATCH = 40;

/** One node holding idle authenticated connections, then with a chat open per pair of them. */
export interface ConnectionsMemory {
  held: number;
  /** Readings taken right after a full GC (of 3; the others carry garbage). */
  collected: number;
  /** Node RSS and V8 heap used once the users signed in, before any connection, bytes. */
  rssBase: number;
  heapBase: number;
  /** Node RSS and V8 heap used, bytes, added per connection. */
  rssPerConnection: number;
  heapPerConnection: number;
  /** Redis used_memory per signed-in, connected user (session, presence), bytes. */
  redisPerUser: number;
  /** Node CPU while holding them idle, cores. */
  idleCores: number;
  rooms: number;
  /** Added per opened one-to-one chat (no messages yet), bytes. */
  rssPerRoom: number;
  heapPerRoom: number;
  redisPerRoom: number;
}

/**
 * `count` users register, connect (spread over generator processes and 127.0.0.x) and stay idle
 * `holdMs`; then each pair of them opens a chat. One fresh node on a fresh Redis, /metrics on.
 */
export async function connectionsMemory(
  count: number,
  holdMs: number,
  redisUrl: string | undefined,
  log: (line: string) => void,
): Promise<ConnectionsMemory> {
  const sut = await startSut('ours-redis', redisUrl, 1, metricsEnv);
  try {
    const server = sut.servers[0];
    const redis = sut.redis;
    if (!server || !redis) throw new Error('sizing needs ours with Redis');
    const room = maxOpenFiles(server.pid) - openFiles(server.pid) - FD_HEADROOM;
    const attempted = Math.max(0, Math.min(count, room));
    let collected = 0;
    const read = async () => {
      if (await collectGarbage(server.pid)) collected++;
      await sleep(500);
      return {
        rss: memory(server.pid).rss,
        heap: await scrapeMetric(server.url, 'nodejs_heap_size_used_bytes'),
        redis: (await redis.stats()).usedMemory,
      };
    };
    await sleep(1000);
    const redis0 = (await redis.stats()).usedMemory;
    log(`sizing: registering ${attempted} users`);
    const users = await sut.users(attempted);
    await sleep(2000);
    const before = await read();
    const workers = Math.max(1, Math.ceil(attempted / PER_WORKER));
    const pool = await WorkerPool.start(workers);
    try {
      log(`sizing: connecting ${attempted} from ${workers} processes`);
      const shares = Array.from({ length: workers }, (_, w) =>
        users.slice(w * PER_WORKER, (w + 1) * PER_WORKER),
      );
      const results = await pool.all<ConnectResult>((w) => ({
        op: 'connect',
        dialect: sut.dialect,
        users: shares[w] ?? [],
        localAddress: sourceAddress(w),
        concurrency: 50,
      }));
      const failed = results.find((r) => r.failed > 0);
      if (failed) log(`sizing: ${failed.failed} connections failed: ${failed.firstError}`);
      const cpu = new CpuMeter(server.pid);
      cpu.start();
      await sleep(holdMs);
      const idleCores = cpu.stop().cores;
      const idle = await read();
      const status = await pool.all<{ open: number }>({ op: 'status' });
      const held = status.reduce((s, r) => s + r.open, 0);
      log(`sizing: ${held} held; opening a chat per pair`);
      const rooms = await openChats(
        pool,
        shares.map((s) => s.length >> 1),
      );
      await sleep(holdMs);
      const paired = await read();
      return {
        held,
        collected,
        rssBase: before.rss,
        heapBase: before.heap,
        rssPerConnection: (idle.rss - before.rss) / held,
        heapPerConnection: (idle.heap - before.heap) / held,
        redisPerUser: (idle.redis - redis0) / held,
        idleCores,
        rooms,
        rssPerRoom: (paired.rss - idle.rss) / rooms,
        heapPerRoom: (paired.heap - idle.heap) / rooms,
        redisPerRoom: (paired.redis - idle.redis) / rooms,
      };
    } finally {
      await pool.close();
    }
  } finally {
    await sut.stop();
  }
}

/**
 * Opens chats [2i, 2i+1] in each worker, OPEN_BATCH at a time: an `open` reserves its reply's
 * largest size in the node's reply budget, and thousands at once are refused as `rate_limited`.
 */
async function openChats(pool: WorkerPool, pairsPerWorker: number[]): Promise<number> {
  let rooms = 0;
  const most = Math.max(0, ...pairsPerWorker);
  for (let from = 0; from < most; from += OPEN_BATCH) {
    const opened = await pool.all<number>((w) => ({
      op: 'pair',
      pairs: Array.from(
        { length: Math.max(0, Math.min(OPEN_BATCH, (pairsPerWorker[w] ?? 0) - from)) },
        (_, i): [number, number] => [2 * (from + i), 2 * (from + i) + 1],
      ),
    }));
    rooms += opened.reduce((s, n) => s + n, 0);
  }
  return rooms;
}
