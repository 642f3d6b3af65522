import { fmt } from '../report/format.js';
import { type ConnectionsMemory, connectionsMemory } from '../sizing/connections-memory.js';
import { cpuAtRates, type RatePoint } from '../sizing/cpu-per-rate.js';
import { median } from '../sizing/median.js';
import { type StoredMessages, storedMessages } from '../sizing/redis-per-message.js';
import { disturbance, type ScenarioContext, type ScenarioOutcome } from './context.js';

/** Text sizes of the stored messages: a short line, a paragraph, a long message. */
const TEXT_SIZES = [20, 200, 2000] as const;

interface Plan {
  connections: number;
  holdMs: number;
  rates: number[];
  messages: number;
  ttlMs: number;
}

const plan = (ctx: ScenarioContext): Plan =>
  ctx.options.quick
    ? { connections: 1000, holdMs: 2000, rates: [500, 1000], messages: 2000, ttlMs: 10_000 }
    : {
        connections: 10_000,
        holdMs: 8000,
        rates: [2000, 5000],
        messages: 20_000,
        ttlMs: 40_000,
      };

/**
 * One more try on fresh processes when a measurement fails: on a busy shared machine a set-up
 * step (an `open` behind a 1 s Redis command timeout) may fail without saying anything about the
 * figures. Counted in the results.
 */
async function again<T>(
  ctx: ScenarioContext,
  count: { retries: number },
  measure: () => Promise<T>,
): Promise<T> {
  try {
    return await measure();
  } catch (err) {
    count.retries++;
    ctx.log(
      `sizing: failed (${(err as Error).message.slice(0, 200)}); once more on fresh processes`,
    );
    return measure();
  }
}

/**
 * The figures an operator sizes a deployment with (docs/deployment.md#sizing): node memory per
 * 10,000 idle connections, node and Redis CPU per 1,000 messages/s, Redis memory per stored
 * message. Each measurement `repeats` times on fresh processes; the table gives the median and
 * every run.
 */
export async function sizing(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const o = ctx.options;
  const p = plan(ctx);
  const conns: ConnectionsMemory[] = [];
  const rates: RatePoint[][] = [];
  const stored: StoredMessages[][] = [];
  const count = { retries: 0 };
  for (let run = 1; run <= o.repeats; run++) {
    ctx.log(`sizing: run ${run}/${o.repeats}: ${p.connections} idle connections`);
    conns.push(
      await again(ctx, count, () =>
        connectionsMemory(p.connections, p.holdMs, o.redisUrl, ctx.log),
      ),
    );
    ctx.log(`sizing: run ${run}/${o.repeats}: CPU at ${p.rates.join(', ')} msg/s`);
    rates.push(await again(ctx, count, () => cpuAtRates(o, p.rates)));
    const sizes: StoredMessages[] = [];
    for (const size of TEXT_SIZES) {
      ctx.log(`sizing: run ${run}/${o.repeats}: ${p.messages} messages of ${size} characters`);
      sizes.push(
        await again(ctx, count, () => storedMessages(p.messages, size, p.ttlMs, o.redisUrl)),
      );
    }
    stored.push(sizes);
  }
  const row = <T>(name: string, runs: T[], f: (x: T) => number, show: (n: number) => string) => {
    const values = runs.map(f);
    return [name, show(median(values)), values.map(show).join(' / ')];
  };
  const per1k = (f: (x: RatePoint) => number) => (x: RatePoint) => f(x) / (x.acked / 1000);
  const rateRows = p.rates.flatMap((rate, i) => {
    const at = rates.map((r) => r[i] as RatePoint);
    return [
      row(`${fmt.int(rate)} msg/s offered: delivered msg/s`, at, (x) => x.delivered, fmt.int),
      row(`  acknowledged msg/s`, at, (x) => x.acked, fmt.int),
      row(`  node CPU (cores)`, at, (x) => x.nodeCores, fmt.cores),
      row(
        `  node cores per 1,000 msg/s`,
        at,
        per1k((x) => x.nodeCores),
        fmt.cores,
      ),
      row(`  Redis CPU (cores)`, at, (x) => x.redisCores, fmt.cores),
      row(
        `  Redis cores per 1,000 msg/s`,
        at,
        per1k((x) => x.redisCores),
        fmt.cores,
      ),
      row(`  send→deliver p99 (ms)`, at, (x) => x.p99, fmt.ms),
      row(`  load generator CPU (cores)`, at, (x) => x.generatorCores, fmt.cores),
      row(`  other processes' CPU (cores)`, at, (x) => x.othersCores, fmt.cores),
    ];
  });
  const storedRows = TEXT_SIZES.flatMap((size, i) => {
    const of = stored.map((s) => s[i] as StoredMessages);
    return [
      row(`Redis bytes per message, ${size}-character text`, of, (x) => x.bytesPerMessage, fmt.int),
      row(`  left over once expired (KB)`, of, (x) => x.leftOverBytes, fmt.kb),
      row(`  message keys gone, s after the TTL`, of, (x) => x.goneAfterMs, fmt.s),
    ];
  });
  const tenK = (bytes: number) => fmt.mb(bytes * 10_000);
  return {
    table: {
      title: `Sizing — ${fmt.int(p.connections)} idle connections, ${p.rates.map(fmt.int).join(' and ')} msg/s, ${fmt.int(p.messages)} stored messages; median of ${o.repeats} run(s)`,
      columns: ['', 'median', `each run (${o.repeats})`],
      rows: [
        row('connections held', conns, (x) => x.held, fmt.int),
        row('memory readings after a full GC (of 3)', conns, (x) => x.collected, fmt.int),
        row('node RSS before connections (MB)', conns, (x) => x.rssBase, fmt.mb),
        row('node V8 heap before connections (MB)', conns, (x) => x.heapBase, fmt.mb),
        row('node RSS per 10,000 connections (MB)', conns, (x) => x.rssPerConnection, tenK),
        row('node V8 heap per 10,000 connections (MB)', conns, (x) => x.heapPerConnection, tenK),
        row('node CPU holding them idle (cores)', conns, (x) => x.idleCores, fmt.cores),
        row('Redis bytes per connected user', conns, (x) => x.redisPerUser, fmt.int),
        row('chats opened (one per pair)', conns, (x) => x.rooms, fmt.int),
        row('node RSS per open chat (KB)', conns, (x) => x.rssPerRoom, fmt.kb),
        row('Redis bytes per open chat', conns, (x) => x.redisPerRoom, fmt.int),
        ...rateRows,
        ...storedRows,
      ],
      notes: [
        `One node (\`--max-semi-space-size=64\`, NODE_ENV=production, METRICS_TOKEN set) on a redis-server of its own (\`hz 100\`, nothing persisted), fresh for each measurement.`,
        'Connections: authenticated with a session token, idle; RSS and heap (nodejs_heap_size_used_bytes from /metrics) after minus before connecting. "Redis per connected user": used_memory after the users signed in and connected, minus before.',
        `Messages: ${o.pairs} one-to-one chats in ${o.workers} generator processes, both members sending at the offered rate in total (open loop), ${o.textLength}-character texts, TTL ${o.ttl} s. Each message is acked to its sender and delivered to both members' sockets.`,
        `Stored: spread over 50 chats, TTL ${p.ttlMs / 1000} s; used_memory after minus before storing ("—" when storing took longer than the TTL less 2 s: some had expired). "Left over": after every message key expired (read state, kept 7 days by design, stays).`,
        'Per 1,000 msg/s: the node’s (or Redis’) CPU over the sends acknowledged in the window, so a node starved by its neighbours still yields its cost per message. It includes the node’s /metrics and GC; the generator runs on the same cores.',
        'Memory readings follow a full GC of the node (SIGUSR1 opens its inspector on 127.0.0.1:9229, HeapProfiler.collectGarbage).',
        ...disturbance(rates.flat().map((x) => x.othersCores)),
      ],
    },
    data: {
      plan: p,
      repeats: o.repeats,
      retries: count.retries,
      connections: conns,
      rates,
      stored,
    },
    goals: {},
  };
}
