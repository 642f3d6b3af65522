import type { BenchOptions } from '../options.js';
import { othersCores } from '../scenarios/context.js';
import { measuredRun, runTimings, withPairs } from '../scenarios/runs.js';
import { metricsEnv } from './metrics-scrape.js';

/** In-flight cap per connection in the open loop: a stalled server shows as skipped sends. */
const OPEN_LOOP_CAP = 256;
/** Seconds at each rate before measuring, at least. */
const WARMUP_S = 5;

/** One node and its Redis at a fixed offered rate of one-to-one messages. */
export interface RatePoint {
  offered: number;
  /** Messages delivered to the peer per second (each also acked and echoed to the sender). */
  delivered: number;
  /**
   * Sends acknowledged per second in the window: what the node got through. The CPU per message
   * is taken over these, so that a node starved of CPU by its neighbours (acks late, deliveries
   * seconds behind) still yields its cost per message.
   */
  acked: number;
  nodeCores: number;
  redisCores: number;
  generatorCores: number;
  othersCores: number;
  p99: number;
  skipped: number;
}

/**
 * Pairs exchange messages at each fixed rate in turn (open loop: sends leave on schedule, whatever
 * the replies do), on one fresh node with /metrics on and a fresh Redis.
 */
export function cpuAtRates(o: BenchOptions, rates: readonly number[]): Promise<RatePoint[]> {
  return withPairs(
    {
      kind: 'ours-redis',
      redisUrl: o.redisUrl,
      pairs: o.pairs,
      workers: o.workers,
      env: metricsEnv,
    },
    async (sut, pool) => {
      const points: RatePoint[] = [];
      for (const offered of rates) {
        const m = await measuredRun(sut, pool, {
          ...runTimings(o),
          // A fresh node compiles its hot paths in its first seconds: keep them out of the cost.
          warmupMs: Math.max(o.warmup, WARMUP_S) * 1000,
          senders: 'both',
          mode: 'open',
          receipts: false,
          window: OPEN_LOOP_CAP,
          ratePerSec: offered,
        });
        points.push({
          offered,
          delivered: m.rate,
          acked: m.acked / o.duration,
          nodeCores: m.serverCores,
          redisCores: m.redisCores ?? Number.NaN,
          generatorCores: m.generatorCores,
          othersCores: othersCores(m),
          p99: m.p99,
          skipped: m.skipped,
        });
      }
      return points;
    },
  );
}
