import type { Nodes } from './nodes.js';
import type { RedisProcess } from './redis-process.js';

export interface Fault {
  readonly name: string;
  /** Injects the fault and undoes it; resolves once the system is whole again. */
  run(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The faults, in the order they run. The stalls straddle the shortest TTL (10 s): 3 s is shorter,
 * so messages sent before it are still alive after it; 12 s is longer, so some expire while Redis
 * is frozen and must not be served when it thaws.
 */
export function faults(redis: RedisProcess, nodes: Nodes, log: (s: string) => void): Fault[] {
  const stall = (seconds: number): Fault => ({
    name: `redis-stall-${seconds}s`,
    async run() {
      redis.stall();
      try {
        await sleep(seconds * 1000);
      } finally {
        redis.resume();
      }
    },
  });
  return [
    stall(3),
    stall(12),
    {
      name: 'redis-restart',
      async run() {
        await redis.kill();
        await sleep(2000);
        await redis.start();
      },
    },
    {
      name: 'node-kill',
      async run() {
        await nodes.kill(1);
        await sleep(2000);
        await nodes.start(1);
        log('node 1 restarted');
      },
    },
  ];
}

/** Seconds of load before the first fault, and at least between two faults. */
export const WARMUP_S = 5;
export const SPACING_S = 5;

/**
 * Runs the faults spread evenly over `loadSeconds` (never closer than SPACING_S apart), each
 * starting when its time comes; stops early when `signal` aborts.
 */
export async function runSchedule(
  list: Fault[],
  loadSeconds: number,
  startedAt: number,
  signal: AbortSignal,
  log: (s: string) => void,
): Promise<{ name: string; atS: number }[]> {
  const ran: { name: string; atS: number }[] = [];
  const span = loadSeconds - WARMUP_S - SPACING_S;
  for (let i = 0; i < list.length; i++) {
    const fault = list[i] as Fault;
    const due = startedAt + (WARMUP_S + (span * i) / list.length) * 1000;
    const wait = Math.max(due - Date.now(), i === 0 ? 0 : SPACING_S * 1000);
    await sleep(wait);
    if (signal.aborted) return ran;
    const t = Math.round((Date.now() - startedAt) / 1000);
    log(`t=${t}s ${fault.name}`);
    ran.push({ name: fault.name, atS: t });
    await fault.run();
  }
  return ran;
}
