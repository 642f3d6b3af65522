import type { FillResult, ReadResult } from '../load/commands.js';
import { fmt } from '../report/format.js';
import { Histogram } from '../stats/histogram.js';
import type { SutKind } from '../sut/sut.js';
import { measureEach, type ScenarioContext, type ScenarioOutcome, sleep } from './context.js';
import { rowMaker } from './rows.js';
import { withPairs } from './runs.js';

const ROOMS = 50;
const FILL_WINDOW = 16;
const READS_PER_SEC = 200;
const HISTORY_LIMIT = 50;
/** Give up waiting this long after the last message's TTL. */
const GRACE_MS = 60_000;
/**
 * Keys ours keeps by design after a room's messages are gone (issue 14): each room's read state
 * (read seqs and unseen-expired counts, 7 days) and each user's room index (lists the chat for its
 * count). They hold ids and counts, never text; "message keys" are all the others.
 */
export const KEPT_BY_DESIGN = ['*}:read', '*u:*:rooms'] as const;

interface Expired {
  messages: number;
  fillMs: number;
  base: number;
  peak: number;
  final: number;
  keysBase: number;
  keysPeak: number;
  keysFinal: number;
  /** Keys kept by design (KEPT_BY_DESIGN) at the end. */
  keptFinal: number;
  /** ms after the last TTL ran out until the key count was back at base; NaN if it never was. */
  returnedAfterMs: number;
  reads: number;
  readP50: number;
  readP99: number;
  worstSecondP99: number;
  series: { t: number; usedMemory: number; keys: number; reads: number; p99: number }[];
}

/**
 * M messages with mixed TTLs, then history reads at a steady rate while they expire: Redis
 * used_memory must come back to where it was before the messages, and reads stay fast meanwhile.
 */
export async function expiry(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const kinds: SutKind[] = ['ours-redis', 'socketio'];
  const m = await measureEach(ctx, kinds, (kind) => watchExpiry(ctx, kind));
  const [ours, sio] = [m['ours-redis'], m.socketio];
  const row = rowMaker(m, ['ours-redis', 'socketio', { ratio: ['ours-redis', 'socketio'] }]);
  const o = ctx.options;
  return {
    table: {
      title: `Expiry — ${fmt.int(o.messages)} messages over ${ROOMS} rooms, TTLs ${o.ttls.join('/')} s, ${READS_PER_SEC} history reads/s`,
      columns: ['', 'ours (Redis)', 'Socket.IO 4', 'ours ÷ SIO'],
      rows: [
        row('messages stored', (x) => x.messages, fmt.int),
        row('store rate (msg/s)', (x) => x.messages / (x.fillMs / 1000), fmt.int),
        row('Redis used_memory before (MB)', (x) => x.base, fmt.mb),
        row('Redis used_memory full (MB)', (x) => x.peak, fmt.mb),
        row('bytes per stored message', (x) => (x.peak - x.base) / x.messages, fmt.int),
        row('Redis used_memory at end (MB)', (x) => x.final, fmt.mb),
        row('left over at end (KB)', (x) => x.final - x.base, fmt.kb),
        ['keys before / full / end', keys(ours), keys(sio), '—'],
        row('message keys gone, s after the last TTL', (x) => x.returnedAfterMs, fmt.s, false),
        row('read-state keys kept at end (no text; 7 days)', (x) => x.keptFinal, fmt.int),
        row('history reads while expiring', (x) => x.reads, fmt.int),
        row('history p50 (ms)', (x) => x.readP50, fmt.ms),
        row('history p99 (ms)', (x) => x.readP99, fmt.ms),
        row('worst 1-s p99 (ms)', (x) => x.worstSecondP99, fmt.ms),
      ],
      notes: [
        '"Message keys gone": the key count, less the read-state keys ours keeps by design (a room\'s read seqs and unseen-expired counts, and each user\'s room index: ids and counts, never text, kept 7 days so a user learns what expired unread), is back to what it was before the messages (sessions and presence stay); "left over" is used_memory minus its value before, read state included.',
        'Each system has a Redis of its own, so used_memory is that system’s alone.',
      ],
    },
    data: { options: { messages: o.messages, ttls: o.ttls, rooms: ROOMS }, results: m },
    goals: {},
  };
}

const keys = (x: Expired | undefined) =>
  x ? `${x.keysBase} / ${x.keysPeak} / ${x.keysFinal}` : '—';

async function watchExpiry(ctx: ScenarioContext, kind: SutKind): Promise<Expired> {
  const o = ctx.options;
  return withPairs({ kind, redisUrl: o.redisUrl, pairs: ROOMS, workers: 1 }, async (sut, pool) => {
    const redis = sut.redis;
    if (!redis) throw new Error('expiry needs Redis');
    await sleep(500);
    const kept = () => redis.countKeys(KEPT_BY_DESIGN);
    const before = await redis.stats();
    const keptBefore = await kept();
    ctx.log(`expiry: ${kind}: storing ${o.messages} messages`);
    const t0 = performance.now();
    const filled = await pool.call<FillResult>(0, {
      op: 'fill',
      count: o.messages,
      ttlsMs: o.ttls.map((t) => t * 1000),
      window: FILL_WINDOW,
      textLength: o.textLength,
    });
    const lastExpiry = t0 + filled.ms + Math.max(...o.ttls) * 1000;
    const full = await redis.stats();
    const tolerance = Math.max(128 * 1024, (full.usedMemory - before.usedMemory) / 100);
    ctx.log(`expiry: ${kind}: stored ${filled.acked}; reading while they expire`);
    const series: Expired['series'] = [];
    const all = new Histogram();
    let worst = 0;
    let returnedAt = Number.NaN;
    let now = await redis.stats();
    while (performance.now() < lastExpiry + GRACE_MS) {
      const read = await pool.call<ReadResult>(0, {
        op: 'read',
        durationMs: 1000,
        ratePerSec: READS_PER_SEC,
        limit: HISTORY_LIMIT,
      });
      all.merge(read.latency);
      worst = Math.max(worst, ...read.perSecond.map((s) => s.p99).filter(Number.isFinite));
      now = await redis.stats();
      const t = performance.now();
      series.push({
        t: Math.round(t - t0),
        usedMemory: now.usedMemory,
        keys: now.keys,
        reads: read.reads,
        p99: read.perSecond[0]?.p99 ?? Number.NaN,
      });
      const keptNow = await kept();
      if (
        t > lastExpiry &&
        Number.isNaN(returnedAt) &&
        now.keys - keptNow <= before.keys - keptBefore
      ) {
        returnedAt = t;
      }
      // Done once every key is gone and memory is back, or 5 s after that if some allocator
      // slack stays (reported as "left over").
      const settled = !Number.isNaN(returnedAt) && t - returnedAt >= 5000;
      if (
        !Number.isNaN(returnedAt) &&
        (now.usedMemory <= before.usedMemory + tolerance || settled)
      ) {
        break;
      }
    }
    return {
      messages: filled.acked,
      fillMs: filled.ms,
      base: before.usedMemory,
      peak: full.usedMemory,
      final: now.usedMemory,
      keysBase: before.keys,
      keysPeak: full.keys,
      keysFinal: now.keys,
      keptFinal: (await kept()) - keptBefore,
      returnedAfterMs: returnedAt - lastExpiry,
      reads: all.count,
      readP50: all.quantile(0.5),
      readP99: all.quantile(0.99),
      worstSecondP99: worst,
      series,
    };
  });
}
