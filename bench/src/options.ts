/** Every knob of a run. `--quick` swaps in small figures; any `--name=value` overrides one. */
export interface BenchOptions {
  /** Scenarios to run, in order. @default all */
  scenarios: ScenarioName[];
  /** Small figures everywhere: a smoke run of about a minute. @default false */
  quick: boolean;
  /**
   * Throughput only: ours runs with METRICS_TOKEN set and the run scrapes its `/metrics` every
   * second, as Prometheus would (an A/B against a run without measures the overhead). @default false
   */
  metrics: boolean;
  /** Pairs of users exchanging messages (throughput, latency). @default 100 */
  pairs: number;
  /** Unacknowledged sends each connection may have in flight. @default 2 */
  window: number;
  /** Fraction of each system's maximum the latency scenario offers. @default 0.5 */
  load: number;
  /** Measured seconds per throughput/latency/fan-out run, after `warmup`. @default 10 */
  duration: number;
  /** Seconds of load before measuring. @default 2 */
  warmup: number;
  /** Load-generator processes for message scenarios. @default 2 */
  workers: number;
  /** Idle authenticated connections to hold (clamped below the per-process fd cap). @default 20000 */
  connections: number;
  /** Messages the expiry scenario stores. @default 50000 */
  messages: number;
  /** TTLs (seconds, each ≥ 10) the expiry scenario spreads its messages over. @default 10,20,30 */
  ttls: number[];
  /** TTL (seconds) of every message in the throughput scenarios. @default 10 */
  ttl: number;
  /** Characters of text per message. @default 64 */
  textLength: number;
  /** Members of the groups scenario's group, spread over two nodes. @default 50 */
  groupSize: number;
  /** Members of that group who send (alternating nodes). @default 10 */
  groupSenders: number;
  /** Times the sizing scenario repeats each measurement (it reports medians). @default 3 */
  repeats: number;
  /**
   * Systems to run (ours-redis, ours-memory, socketio, relay, and the throughput scenario's
   * ours-redis+receipts, ours-memory+receipts); each scenario skips the others. `ours-cluster`
   * (a private three-master Redis Cluster) runs in throughput and latency only when named here.
   * @default all but ours-cluster
   */
  systems: string[] | undefined;
  /** Use this Redis (with a key prefix of the run's own) instead of a private redis-server. */
  redisUrl: string | undefined;
  /** Where JSON results go. @default bench/results */
  resultsDir: string;
}

export const scenarioNames = [
  'throughput',
  'latency',
  'connections',
  'fanout',
  'groups',
  'expiry',
  'sizing',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];
export const systemNames = [
  'ours-redis',
  'ours-memory',
  'socketio',
  'relay',
  'ours-redis+receipts',
  'ours-memory+receipts',
  'ours-cluster',
] as const;

const full: Omit<
  BenchOptions,
  'scenarios' | 'quick' | 'metrics' | 'redisUrl' | 'resultsDir' | 'systems'
> = {
  pairs: 100,
  window: 2,
  load: 0.5,
  duration: 10,
  warmup: 2,
  workers: 2,
  connections: 20_000,
  messages: 50_000,
  ttls: [10, 20, 30],
  ttl: 10,
  textLength: 64,
  groupSize: 50,
  groupSenders: 10,
  repeats: 3,
};

const quick: typeof full = {
  ...full,
  pairs: 20,
  window: 8,
  duration: 2,
  warmup: 0.5,
  connections: 1000,
  messages: 2000,
  ttls: [10],
  repeats: 1,
};

const numeric = new Set(Object.keys(full).filter((k) => k !== 'ttls'));

/** Parses `[scenario…] [--quick] [--name=value…]`; a bad argument throws with what to do. */
export function parseOptions(argv: readonly string[], defaultResultsDir: string): BenchOptions {
  const isQuick = argv.includes('--quick');
  const options: BenchOptions = {
    ...(isQuick ? quick : full),
    scenarios: [],
    quick: isQuick,
    metrics: argv.includes('--metrics'),
    redisUrl: process.env.BENCH_REDIS_URL,
    systems: undefined,
    resultsDir: defaultResultsDir,
  };
  for (const arg of argv) {
    if (arg === '--quick' || arg === '--metrics') continue;
    if (!arg.startsWith('--')) {
      if (!(scenarioNames as readonly string[]).includes(arg)) {
        throw new Error(`Unknown scenario "${arg}"; use one of ${scenarioNames.join(', ')}.`);
      }
      options.scenarios.push(arg as ScenarioName);
      continue;
    }
    const [name = '', value = ''] = arg.slice(2).split('=', 2);
    const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (key === 'ttls') {
      options.ttls = value.split(',').map(Number);
      if (options.ttls.some((t) => !Number.isFinite(t) || t < 10 || t > 86_400)) {
        throw new Error('--ttls takes seconds between 10 and 86400, comma-separated.');
      }
    } else if (key === 'systems') {
      options.systems = value.split(',');
      const unknown = options.systems.filter(
        (k) => !(systemNames as readonly string[]).includes(k),
      );
      if (unknown.length) throw new Error(`--systems takes ${systemNames.join(', ')}.`);
    } else if (key === 'redisUrl') options.redisUrl = value;
    else if (key === 'resultsDir') options.resultsDir = value;
    else if (numeric.has(key)) {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} takes a positive number.`);
      (options as unknown as Record<string, number>)[key] = n;
    } else {
      throw new Error(`Unknown option --${name}; see docs/benchmarks.md.`);
    }
  }
  if (options.ttl < 10) throw new Error('--ttl is at least 10 seconds (the protocol minimum).');
  if (!Number.isInteger(options.groupSize) || options.groupSize < 2 || options.groupSize > 256) {
    throw new Error('--group-size takes a whole number from 2 to 256 (the server default cap).');
  }
  if (!Number.isInteger(options.groupSenders) || options.groupSenders > options.groupSize) {
    throw new Error('--group-senders takes a whole number no larger than --group-size.');
  }
  // Sizing (operators' figures, several minutes) runs only when named.
  if (options.scenarios.length === 0)
    options.scenarios = scenarioNames.filter((n) => n !== 'sizing');
  return options;
}
