import type { UserRef } from '../load/clients/client.js';
import type { RunSpec } from '../load/commands.js';
import type { WorkerPool } from '../load/pool.js';
import type { BenchOptions } from '../options.js';
import { connectPairs, type LoadFigures, runOnAll } from '../sut/pairs.js';
import { type ServerFigures, ServerMeter } from '../sut/server-meter.js';
import { type Sut, type SutKind, startSut } from '../sut/sut.js';
import { type ScenarioContext, sleep } from './context.js';

/** What one measured message run yields: the generators' figures and the server's meters. */
export type Measured = LoadFigures & ServerFigures;

/** How `withPairs` sets a system up. */
export interface PairsSetup {
  kind: SutKind;
  redisUrl: string | undefined;
  /** Server processes of the system. @default 1 */
  nodes?: number;
  /** Extra environment for ours' servers (e.g. METRICS_TOKEN). */
  env?: Record<string, string>;
  pairs: number;
  /** Generator processes the pairs are spread over. */
  workers: number;
  /** Points users at the servers they should connect to (they all start on server 0). */
  place?: (users: UserRef[], sut: Sut) => UserRef[];
}

/** Starts a fresh system, connects `pairs` pairs of its users, runs `body`, then tears both down. */
export async function withPairs<T>(
  setup: PairsSetup,
  body: (sut: Sut, pool: WorkerPool) => Promise<T>,
): Promise<T> {
  const sut = await startSut(setup.kind, setup.redisUrl, setup.nodes, setup.env);
  try {
    const users = await sut.users(2 * setup.pairs);
    const placed = setup.place ? setup.place(users, sut) : users;
    const pool = await connectPairs(sut, placed, setup.workers);
    try {
      return await body(sut, pool);
    } finally {
      await pool.close();
    }
  } finally {
    await sut.stop();
  }
}

/** Runs `spec` on every generator and meters server, Redis and machine over its measured window. */
export async function measuredRun(sut: Sut, pool: WorkerPool, spec: RunSpec): Promise<Measured> {
  const meter = new ServerMeter(sut);
  const run = runOnAll(pool, spec);
  await sleep(spec.warmupMs);
  await meter.start();
  await sleep(spec.durationMs);
  const server = await meter.stop();
  return { ...(await run), ...server };
}

/** The warm-up, measured window, TTL and text length of a message run, from the options. */
export function runTimings(o: BenchOptions) {
  return {
    warmupMs: o.warmup * 1000,
    durationMs: o.duration * 1000,
    ttlMs: o.ttl * 1000,
    textLength: o.textLength,
  };
}

/**
 * A closed-loop run: `window` unacknowledged sends per sender, as fast as the system acks; with
 * `receipts`, every receiver also marks each message it gets read.
 */
export function closedLoop(
  o: BenchOptions,
  senders: RunSpec['senders'],
  receipts = false,
): RunSpec {
  return { mode: 'closed', window: o.window, ratePerSec: 0, ...runTimings(o), senders, receipts };
}

/** The options a message scenario records with its results. */
export function runOptions(ctx: ScenarioContext) {
  const { pairs, window, duration, warmup, workers, ttl, textLength, quick } = ctx.options;
  return { pairs, window, duration, warmup, workers, ttl, textLength, quick };
}
