import type { HistogramJson } from '../stats/histogram.js';
import type { Dialect, UserRef } from './clients/client.js';

/** Parent → worker, over the fork IPC channel; each gets one `Reply` with the same `seq`. */
export type Command =
  | {
      op: 'connect';
      dialect: Dialect;
      users: UserRef[];
      localAddress?: string;
      concurrency: number;
    }
  /** Pairs of indexes into this worker's connections: the first opens the chat with the second. */
  | { op: 'pair'; pairs: [number, number][] }
  | ({ op: 'run' } & RunSpec)
  | { op: 'fill'; count: number; ttlsMs: number[]; window: number; textLength: number }
  | { op: 'read'; durationMs: number; ratePerSec: number; limit: number }
  | { op: 'status' }
  | { op: 'close' };

export interface RunSpec {
  /** closed: keep `window` sends in flight per sender; open: send at `ratePerSec` regardless. */
  mode: 'closed' | 'open';
  window: number;
  ratePerSec: number;
  warmupMs: number;
  durationMs: number;
  ttlMs: number;
  textLength: number;
  /** both: each member of a pair sends; first: only the first (fan-out senders). */
  senders: 'both' | 'first';
  /** The receiver marks every message it gets read (`read` frame; ours only). */
  receipts: boolean;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError: string | undefined;
  ms: number;
}

export interface CpuReport {
  /** CPU seconds the worker used in the measured window, and as cores. */
  cpuSeconds: number;
  cores: number;
  /** Event-loop delay p99 (ms): high means the generator itself lagged. */
  loopDelayP99: number;
  rss: number;
}

/** Message counts of a traffic run, per worker and (in `LoadFigures`) summed over all of them. */
export interface RunCounts {
  sent: number;
  acked: number;
  refused: number;
  /** Messages received by the peer (not the sender's own echo) within the window. */
  delivered: number;
  /** Sends an open-loop run could not make because the connection's window was full. */
  skipped: number;
  closed: number;
  /** `read` frames sent (one per message a receiver got, when the run marks messages read). */
  readsSent: number;
  /** Replies to those `read` frames, and errors in their place. */
  readsAnswered: number;
  readsRefused: number;
  /** Live `read` events received: the peer's receipt and the reader's own echo, two per read. */
  readEvents: number;
}

export interface RunResult extends CpuReport, RunCounts {
  latency: HistogramJson;
  seconds: number;
}

export interface FillResult {
  acked: number;
  refused: number;
  ms: number;
}

export interface ReadResult extends CpuReport {
  reads: number;
  failed: number;
  latency: HistogramJson;
  /** One entry per second: reads and p99 (ms) in that second. */
  perSecond: { reads: number; p50: number; p99: number }[];
}

export type Reply = { seq: number } & (
  | { ok: true; result: unknown }
  | { ok: false; error: string }
);
