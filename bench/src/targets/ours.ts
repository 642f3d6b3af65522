import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { serverMainPath } from '@ephemeral-chat/testkit';
import type { BenchRedis } from './redis.js';
import { type RunningProcess, spawnNode } from './spawn-process.js';

/**
 * Rate limits lifted by configuration (the server's documented variables), so the benchmark
 * measures what the server can carry rather than what a single client is allowed.
 */
export const liftedLimits = {
  WS_SEND_RATE: '1000000',
  WS_SEND_BURST: '1000000',
  WS_FRAME_RATE: '1000000',
  WS_FRAME_BURST: '1000000',
  REGISTER_MAX_PER_IP: '1000000',
  LOGIN_MAX_FAILURES_PER_IP: '1000000',
} as const;

export interface OursOptions {
  /** RedisEngine on this Redis (under its prefix), or MemoryEngine when undefined. */
  redis: Pick<BenchRedis, 'url' | 'prefix' | 'cluster'> | undefined;
  /** SQLite lives here; several nodes may share it (WAL) with the same pepper. */
  dataDir: string;
  pepper: string;
  env?: Record<string, string>;
}

/** The real server, built (`npm run build`), as its own process on a free port. */
export function startOurs(options: OursOptions): Promise<RunningProcess> {
  // BENCH_SERVER_MAIN: a frozen build elsewhere, so that others rebuilding dist/ mid-run on a
  // shared checkout change nothing under test.
  const main = process.env.BENCH_SERVER_MAIN ?? serverMainPath();
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first.`);
  return spawnNode(main, {
    HOST: '127.0.0.1',
    PORT: '0',
    NODE_ENV: 'production',
    LOG_FORMAT: 'json',
    // The start line (with the url) is logged at info; nothing is logged per frame at info.
    LOG_LEVEL: 'info',
    DATA_DIR: options.dataDir,
    PASSWORD_PEPPER: options.pepper,
    BCRYPT_COST: '4',
    ...liftedLimits,
    ...(options.redis?.cluster
      ? { REDIS_CLUSTER: options.redis.cluster, REDIS_KEY_PREFIX: options.redis.prefix }
      : options.redis
        ? { REDIS_URL: options.redis.url, REDIS_KEY_PREFIX: options.redis.prefix }
        : {}),
    // BENCH_WORKERS=N: ours on Redis as N worker processes on one port (WORKERS; the meter
    // sums the primary and its workers). The in-memory engine refuses WORKERS>1.
    ...(options.redis && process.env.BENCH_WORKERS ? { WORKERS: process.env.BENCH_WORKERS } : {}),
    ...options.env,
  });
}

export function newPepper(): string {
  return randomBytes(32).toString('base64url');
}
