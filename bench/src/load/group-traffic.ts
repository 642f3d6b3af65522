import { Histogram } from '../stats/histogram.js';
import type { GroupRunResult, GroupRunSpec } from './commands.js';
import { type Connections, idleSink } from './connections.js';
import { CpuWindow } from './cpu-window.js';
import { groupMsgId, monoMs, parseGroupMsgId } from './group-ids.js';
import { sleep } from './traffic.js';

const DRAIN_MS = 5000;
/** The drain ends once no message has arrived for this long (deliveries trail the acks). */
const QUIET_MS = 500;
const TICK_MS = 1;

/**
 * Drives one group from this worker: the `senders` send (closed loop: `window` in flight each;
 * open: `ratePerSec` between them, timed from when each send was due), and every connection here
 * counts the message frames it receives. Send times travel in the client message id on the
 * machine-wide monotonic clock, so a member in another generator process times them too.
 */
export async function runGroupTraffic(
  conns: Connections,
  spec: GroupRunSpec,
): Promise<GroupRunResult> {
  const inflight = new Int32Array(conns.clients.length);
  const isSender = new Set(spec.senders);
  const text = 'x'.repeat(spec.textLength);
  const cross = new Histogram();
  const same = new Histogram();
  let n = 0;
  let running = true;
  let measuring = false;
  let lastArrival = monoMs();
  const c = {
    sent: 0,
    acked: 0,
    refused: 0,
    skipped: 0,
    closed: 0,
    delivered: 0,
    crossDelivered: 0,
  };
  const total = { acked: 0, received: 0 };

  const sendOne = (index: number, at: number) => {
    inflight[index] = (inflight[index] ?? 0) + 1;
    if (measuring) c.sent++;
    const id = groupMsgId(spec.nodes[index] ?? 0, index, n++, at);
    conns.clients[index]?.send(spec.room, text, spec.ttlMs, id);
  };

  conns.sink = {
    onAck(index, ok) {
      inflight[index] = (inflight[index] ?? 1) - 1;
      if (ok) total.acked++;
      if (measuring) ok ? c.acked++ : c.refused++;
      if (running && spec.mode === 'closed' && isSender.has(index)) sendOne(index, monoMs());
    },
    onMessage(index, clientMsgId) {
      const now = monoMs();
      lastArrival = now;
      total.received++;
      if (!measuring) return;
      const sent = parseGroupMsgId(clientMsgId);
      if (!sent) return;
      c.delivered++;
      if (sent.node === spec.nodes[index]) same.record(now - sent.atMs);
      else {
        c.crossDelivered++;
        cross.record(now - sent.atMs);
      }
    },
    onRead() {},
    onClose() {
      c.closed++;
    },
  };

  let ticker: NodeJS.Timeout | undefined;
  if (spec.mode === 'closed') {
    for (const s of spec.senders) for (let k = 0; k < spec.window; k++) sendOne(s, monoMs());
  } else if (spec.senders.length > 0 && spec.ratePerSec > 0) {
    const start = monoMs();
    const interval = 1000 / spec.ratePerSec;
    let due = 0;
    ticker = setInterval(() => {
      const now = monoMs();
      while (start + due * interval <= now) {
        const s = spec.senders[due % spec.senders.length] ?? 0;
        const at = start + due++ * interval;
        if ((inflight[s] ?? 0) >= spec.window) {
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
  const drainBy = monoMs() + DRAIN_MS;
  while (monoMs() < drainBy && (inflight.some((v) => v > 0) || monoMs() - lastArrival < QUIET_MS)) {
    await sleep(20);
  }
  conns.sink = idleSink;
  return {
    ...c,
    ...report,
    latency: cross.toJSON(),
    sameNodeLatency: same.toJSON(),
    seconds,
    ackedTotal: total.acked,
    receivedTotal: total.received,
  };
}
