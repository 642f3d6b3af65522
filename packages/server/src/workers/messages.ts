import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';

/** One worker's registry as `getMetricsAsJSON()` returns it (the input of the aggregation). */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Primary → worker, over the IPC channel of `child_process.fork`. */
export type ToWorker =
  /** The first message: the configuration the primary resolved (port, pepper, node id). */
  | { type: 'start'; index: number; config: Config }
  /** Close gracefully (going-away to every socket) and exit 0. */
  | { type: 'stop' }
  /** Send this worker's own metrics, as JSON, for an aggregate being built. */
  | { type: 'metrics-collect'; id: number }
  /** The aggregate a worker asked for (`text`), or why there is none (`error`). */
  | { type: 'metrics-reply'; id: number; text?: string; error?: string };

/** Worker → primary. */
export type FromWorker =
  | { type: 'ready'; port: number; nodeId: string }
  | { type: 'metrics-json'; id: number; json: MetricsJson }
  /** A scrape landed on this worker: asks for the aggregate of every worker. */
  | { type: 'metrics-request'; id: number };

const toWorkerTypes = new Set(['start', 'stop', 'metrics-collect', 'metrics-reply']);
const fromWorkerTypes = new Set(['ready', 'metrics-json', 'metrics-request']);

function hasType(m: unknown, types: ReadonlySet<string>): boolean {
  return (
    typeof m === 'object' &&
    m !== null &&
    'type' in m &&
    typeof m.type === 'string' &&
    types.has(m.type)
  );
}

/** Both ends are this program; the check guards against anything else on the channel. */
export function isToWorker(m: unknown): m is ToWorker {
  return hasType(m, toWorkerTypes);
}

export function isFromWorker(m: unknown): m is FromWorker {
  return hasType(m, fromWorkerTypes);
}
