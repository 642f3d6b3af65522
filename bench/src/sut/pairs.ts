import type { UserRef } from '../load/clients/client.js';
import type { ConnectResult, RunCounts, RunResult, RunSpec } from '../load/commands.js';
import { WorkerPool } from '../load/pool.js';
import { Histogram } from '../stats/histogram.js';
import type { Sut } from './sut.js';

/** Source address of worker `w`: 127.0.0.2, .3, … (each has its own ~28k ephemeral ports). */
export const sourceAddress = (w: number) => `127.0.0.${2 + (w % 250)}`;

/**
 * Starts `workers` generator processes and gives pair k (users[2k] and users[2k+1]) to worker
 * k mod workers, so both ends of a pair share a clock; connects everyone and opens each chat.
 */
export async function connectPairs(
  sut: Sut,
  users: UserRef[],
  workers: number,
): Promise<WorkerPool> {
  const pool = await WorkerPool.start(workers);
  try {
    const shares = Array.from({ length: workers }, (): UserRef[] => []);
    for (let k = 0; 2 * k + 1 < users.length; k++) {
      shares[k % workers]?.push(users[2 * k] as UserRef, users[2 * k + 1] as UserRef);
    }
    const connected = await pool.all<ConnectResult>((w) => ({
      op: 'connect',
      dialect: sut.dialect,
      users: shares[w] ?? [],
      localAddress: sourceAddress(w),
      concurrency: 32,
    }));
    const failed = connected.find((c) => c.failed > 0);
    if (failed) throw new Error(`${failed.failed} connections failed: ${failed.firstError}`);
    await pool.all((w) => ({
      op: 'pair',
      pairs: Array.from({ length: (shares[w]?.length ?? 0) / 2 }, (_, i) => [2 * i, 2 * i + 1]),
    }));
    return pool;
  } catch (err) {
    await pool.close();
    throw err;
  }
}

export interface LoadFigures extends RunCounts {
  /** Messages delivered to the peer per second. */
  rate: number;
  /** Replies to `read` frames per second, and live `read` events received per second (0 without receipts). */
  readRate: number;
  readEventRate: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** CPU of all generator processes, in cores, and their worst event-loop delay p99 (ms). */
  generatorCores: number;
  generatorLoopP99: number;
}

/** Runs the same spec on every worker at once and adds the figures up. */
export async function runOnAll(pool: WorkerPool, spec: RunSpec): Promise<LoadFigures> {
  const results = await pool.all<RunResult>(() => ({
    op: 'run',
    ...spec,
    ratePerSec: spec.ratePerSec / pool.size,
  }));
  const h = new Histogram();
  for (const r of results) h.merge(r.latency);
  const sum = (f: (r: RunResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return {
    rate: sum((r) => r.delivered) / seconds,
    readRate: sum((r) => r.readsAnswered) / seconds,
    readEventRate: sum((r) => r.readEvents) / seconds,
    sent: sum((r) => r.sent),
    acked: sum((r) => r.acked),
    refused: sum((r) => r.refused),
    delivered: sum((r) => r.delivered),
    skipped: sum((r) => r.skipped),
    closed: sum((r) => r.closed),
    readsSent: sum((r) => r.readsSent),
    readsAnswered: sum((r) => r.readsAnswered),
    readsRefused: sum((r) => r.readsRefused),
    readEvents: sum((r) => r.readEvents),
    p50: h.quantile(0.5),
    p99: h.quantile(0.99),
    p999: h.quantile(0.999),
    max: h.max,
    generatorCores: sum((r) => r.cores),
    generatorLoopP99: Math.max(...results.map((r) => r.loopDelayP99)),
  };
}
