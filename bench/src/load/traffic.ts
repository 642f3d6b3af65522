import { Histogram } from '../stats/histogram.js';
import { seqOf } from './clients/client.js';
import type { RunResult, RunSpec } from './commands.js';
import { type Connections, idleSink } from './connections.js';
import { CpuWindow } from './cpu-window.js';

export interface Pair {
  a: number;
  b: number;
  room: string;
}

const DRAIN_MS = 5000;
const TICK_MS = 1;

/**
 * Drives messages over this worker's pairs and measures send→deliver at the peer. Both members
 * of a pair live in this process, so one clock (performance.now) times both ends.
 * Client message ids are `<sender index>-<n>`: a delivery whose id starts with the receiving
 * connection's own index is the sender's echo and is not counted.
 * With `spec.receipts`, the receiver marks every message it gets read (one `read` frame per
 * message, at once, whether measured or not); the drain also waits for those reads' replies.
 */
export async function runTraffic(
  conns: Connections,
  pairs: readonly Pair[],
  spec: RunSpec,
): Promise<RunResult> {
  const senders = pairs.flatMap((p) =>
    spec.senders === 'both'
      ? [
          { index: p.a, room: p.room },
          { index: p.b, room: p.room },
        ]
      : [{ index: p.a, room: p.room }],
  );
  const senderAt = new Map(senders.map((s) => [s.index, s]));
  const roomAt = new Map(pairs.flatMap((p) => [[p.a, p.room] as const, [p.b, p.room] as const]));
  const prefix = conns.clients.map((_, i) => `${i}-`);
  const inflight = new Int32Array(conns.clients.length);
  const sentAt = new Map<string, number>();
  const text = 'x'.repeat(spec.textLength);
  const latency = new Histogram();
  let n = 0;
  let running = true;
  let measuring = false;
  const c = {
    sent: 0,
    acked: 0,
    refused: 0,
    delivered: 0,
    skipped: 0,
    closed: 0,
    readsSent: 0,
    readsAnswered: 0,
    readsRefused: 0,
    readEvents: 0,
  };
  /** Reads sent and not yet answered or refused, measured or not (the drain waits for them). */
  let readsOpen = 0;

  const sendOne = (s: { index: number; room: string }, at: number) => {
    const id = `${s.index}-${n++}`;
    sentAt.set(id, at);
    inflight[s.index] = (inflight[s.index] ?? 0) + 1;
    if (measuring) c.sent++;
    conns.clients[s.index]?.send(s.room, text, spec.ttlMs, id);
  };

  conns.sink = {
    onAck(index, ok) {
      inflight[index] = (inflight[index] ?? 1) - 1;
      if (measuring) ok ? c.acked++ : c.refused++;
      const s = senderAt.get(index);
      if (running && spec.mode === 'closed' && s) sendOne(s, performance.now());
    },
    onMessage(index, id, frame) {
      if (id.startsWith(prefix[index] ?? '')) return;
      if (spec.receipts) markRead(index, frame);
      const t0 = sentAt.get(id);
      if (t0 === undefined) return;
      sentAt.delete(id);
      if (!measuring) return;
      c.delivered++;
      latency.record(performance.now() - t0);
    },
    onRead(_index, outcome) {
      if (outcome !== 'event') readsOpen--;
      if (!measuring) return;
      if (outcome === 'answered') c.readsAnswered++;
      else if (outcome === 'refused') c.readsRefused++;
      else c.readEvents++;
    },
    onClose() {
      c.closed++;
    },
  };

  const markRead = (index: number, frame: Buffer) => {
    const room = roomAt.get(index);
    const seq = seqOf(frame);
    if (room === undefined || seq === undefined) return;
    readsOpen++;
    if (measuring) c.readsSent++;
    conns.clients[index]?.read(room, seq);
  };

  const start = performance.now();
  let ticker: NodeJS.Timeout | undefined;
  if (spec.mode === 'closed') {
    for (const s of senders) for (let k = 0; k < spec.window; k++) sendOne(s, performance.now());
  } else {
    // Open loop: each send is timed from when it was due, so generator lag counts against us.
    let due = 0;
    let rr = 0;
    const interval = 1000 / spec.ratePerSec;
    ticker = setInterval(() => {
      const now = performance.now();
      while (start + due * interval <= now && senders.length > 0) {
        const s = senders[rr++ % senders.length];
        const at = start + due++ * interval;
        if (!s) break;
        if ((inflight[s.index] ?? 0) >= spec.window) {
          if (measuring) c.skipped++;
        } else sendOne(s, at);
      }
    }, TICK_MS);
  }

  await sleep(spec.warmupMs);
  measuring = true;
  const cpu = new CpuWindow();
  const t0 = performance.now();
  await sleep(spec.durationMs);
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const report = cpu.stop();
  running = false;
  if (ticker) clearInterval(ticker);
  const drainBy = performance.now() + DRAIN_MS;
  while ((readsOpen > 0 || inflight.some((v) => v > 0)) && performance.now() < drainBy) {
    await sleep(20);
  }
  conns.sink = idleSink;
  return { ...c, ...report, latency: latency.toJSON(), seconds };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
