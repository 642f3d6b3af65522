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
  /** Connection `creator` of this worker creates a group with `members`; replies its room id. */
  | { op: 'group.create'; creator: number; name: string; members: UserRef[] }
  /** Every connection of this worker waits until it receives the group's messages. */
  | { op: 'group.join'; room: string }
  | ({ op: 'group.run' } & GroupRunSpec)
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

/** A run in one group: some members send, every member's connection receives. */
export interface GroupRunSpec extends Omit<RunSpec, 'senders' | 'receipts'> {
  room: string;
  /** Indexes of this worker's connections that send. */
  senders: number[];
  /** The node (0 or 1) each of this worker's connections is on, by index. */
  nodes: number[];
}

/** What one worker counted in a group run (`delivered`: any member's socket got a message). */
export interface GroupRunResult extends CpuReport {
  sent: number;
  acked: number;
  refused: number;
  skipped: number;
  closed: number;
  /** Message frames received by this worker's members within the window, and of those from the other node. */
  delivered: number;
  crossDelivered: number;
  /** Send → receipt at members on the other node, and on the sender's own node (its echo included). */
  latency: HistogramJson;
  sameNodeLatency: HistogramJson;
  seconds: number;
  /** Over the whole run (warm-up, window and drain): sends acked, and message frames received. */
  ackedTotal: number;
  receivedTotal: number;
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
