import { availableParallelism } from 'node:os';
import type { Config } from '../config/config.js';

/** How many uWebSockets.js workers WORKERS asks for: `auto` is one per core the process may use. */
export function workerCount(workers: Config['WORKERS'], cores = availableParallelism()): number {
  return workers === 'auto' ? Math.max(1, Math.min(64, cores)) : workers;
}

/**
 * Why `count` workers cannot run on this configuration (empty: they can). Each entry names the
 * variable to change, in the form ConfigError prints.
 *
 * - The in-process engine (no REDIS_URL) keeps sessions, messages and presence in one process'
 *   memory: workers would each have their own, so a message sent on one would never reach a
 *   socket on another. Refused rather than half-working.
 * - SQLite in memory (`sqlite::memory:`) would be one database per worker. A SQLite FILE is
 *   shared: WAL mode, a 5 s busy timeout and `BEGIN IMMEDIATE` for read-then-write transactions
 *   (see stores/users/open-sqlite.ts, stores/groups/write-transaction.ts) make several processes
 *   on one host safe; only a network filesystem is not (SQLite's locks need a local one).
 * - Sharing one port relies on SO_REUSEPORT as Linux implements it (the kernel spreads new
 *   connections over the listening sockets); elsewhere the second listen fails or one worker
 *   takes every connection.
 */
export function workerPlanProblems(
  config: Config,
  count: number,
  platform: NodeJS.Platform = process.platform,
): string[] {
  if (count <= 1) return [];
  const problems: string[] = [];
  const shown = config.WORKERS === 'auto' ? `auto (${count} cores)` : String(count);
  if (config.REDIS_URL === undefined && config.REDIS_CLUSTER === undefined) {
    problems.push(
      `WORKERS: ${shown} workers need the Redis engine: set REDIS_URL=redis://host:port (or REDIS_CLUSTER); the in-memory engine lives inside one process and cannot be shared between workers. Or use WORKERS=1.`,
    );
  }
  if (/^sqlite:(\/\/)?:memory:$/i.test(config.DATABASE_URL?.trim() ?? '')) {
    problems.push(
      `WORKERS: ${shown} workers cannot share DATABASE_URL=sqlite::memory: (one database per process): use a SQLite file or postgres://…, or WORKERS=1.`,
    );
  }
  if (platform !== 'linux') {
    problems.push(
      `WORKERS: several workers on one port need Linux (SO_REUSEPORT); on ${platform} use WORKERS=1 and one node per core behind a load balancer.`,
    );
  }
  return problems;
}
