import { Histogram } from '../stats/histogram.js';
import type { FillResult, ReadResult } from './commands.js';
import { type Connections, idleSink } from './connections.js';
import { CpuWindow } from './cpu-window.js';
import { type Pair, sleep } from './traffic.js';

/** Stores `count` messages over the pairs (both directions), TTLs taken in turn from `ttlsMs`. */
export async function fill(
  conns: Connections,
  pairs: readonly Pair[],
  count: number,
  ttlsMs: readonly number[],
  window: number,
  textLength: number,
): Promise<FillResult> {
  const t0 = performance.now();
  const senders = pairs.flatMap((p) => [
    { index: p.a, room: p.room },
    { index: p.b, room: p.room },
  ]);
  const byIndex = new Map(senders.map((s) => [s.index, s]));
  const text = 'y'.repeat(textLength);
  let issued = 0;
  let acked = 0;
  let refused = 0;
  const { promise, resolve } = withResolvers<void>();
  const sendNext = (s: { index: number; room: string } | undefined) => {
    if (!s || issued >= count) return;
    const ttl = ttlsMs[issued % ttlsMs.length] ?? 10_000;
    conns.clients[s.index]?.send(s.room, text, ttl, `f${s.index}-${issued++}`);
  };
  conns.sink = {
    onAck(index, ok) {
      ok ? acked++ : refused++;
      if (acked + refused >= count) resolve();
      else sendNext(byIndex.get(index));
    },
    onMessage() {},
    onRead() {},
    onClose() {},
  };
  if (count === 0 || senders.length === 0) resolve();
  for (const s of senders) for (let k = 0; k < window; k++) sendNext(s);
  const timeout = sleep(120_000).then(() => 'timeout' as const);
  await Promise.race([promise, timeout]);
  conns.sink = idleSink;
  return { acked, refused, ms: performance.now() - t0 };
}

/** History reads (newest `limit`) of random rooms at a fixed rate, timed per request. */
export async function readLoad(
  conns: Connections,
  pairs: readonly Pair[],
  durationMs: number,
  ratePerSec: number,
  limit: number,
): Promise<ReadResult> {
  const cpu = new CpuWindow();
  const latency = new Histogram();
  const perSecond: ReadResult['perSecond'] = [];
  let second = new Histogram();
  let reads = 0;
  let failed = 0;
  let inflight = 0;
  const start = performance.now();
  const end = start + durationMs;
  let next = start;
  let lastSecond = start;
  const flushSecond = () => {
    perSecond.push({ reads: second.count, p50: second.quantile(0.5), p99: second.quantile(0.99) });
    second = new Histogram();
  };
  while (performance.now() < end) {
    const now = performance.now();
    if (now - lastSecond >= 1000) {
      flushSecond();
      lastSecond += 1000;
    }
    while (next <= now && pairs.length > 0) {
      next += 1000 / ratePerSec;
      if (inflight >= 64) continue;
      const pair = pairs[Math.floor(Math.random() * pairs.length)] as Pair;
      const t0 = performance.now();
      inflight++;
      conns.clients[pair.a]
        ?.history(pair.room, limit)
        .then(() => {
          const ms = performance.now() - t0;
          latency.record(ms);
          second.record(ms);
          reads++;
        })
        .catch(() => failed++)
        .finally(() => inflight--);
    }
    await sleep(1);
  }
  while (inflight > 0) await sleep(5);
  flushSecond();
  return { ...cpu.stop(), reads, failed, latency: latency.toJSON(), perSecond };
}

function withResolvers<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
