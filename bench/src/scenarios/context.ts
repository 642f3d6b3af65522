import type { BenchOptions } from '../options.js';
import type { Table } from '../report/table.js';
import type { SutKind } from '../sut/sut.js';

/** What scenarios share within one run. */
export interface ScenarioContext {
  options: BenchOptions;
  runId: string;
  /** Highest delivered msg/s measured per system (throughput fills it; latency uses half). */
  maxRate: Partial<Record<SutKind, number>>;
  /** Progress lines go to stderr, so stdout holds only the tables. */
  log(line: string): void;
}

export interface ScenarioOutcome {
  table: Table;
  /** Everything measured, written as JSON. */
  data: Record<string, unknown>;
  /** Figures the goals are judged on. */
  goals: Partial<GoalFigures>;
}

export interface GoalFigures {
  throughputVsSocketIo: number;
  /** Ours (Redis) with every message marked read ÷ send-only, both from the same run. */
  receiptsVsSendOnly: number;
  throughputVsRelay: number;
  p99AtHalfLoad: number;
  bytesPerConnection: number;
  connectionsHeld: number;
  /** The server's open-files limit, when it capped the connections tried below 20,000. */
  connectionsCappedAt: number;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The systems a scenario compares, less those `--systems` leaves out. */
export function selected<K extends string>(ctx: ScenarioContext, kinds: K[]): K[] {
  const only = ctx.options.systems;
  return only ? kinds.filter((k) => only.includes(k)) : kinds;
}

/** Measures each selected system in turn, in the order of `kinds`; keyed by system. */
export async function measureEach<T, K extends string = SutKind>(
  ctx: ScenarioContext,
  kinds: K[],
  measure: (kind: K) => Promise<T>,
): Promise<Partial<Record<K, T>>> {
  const m: Partial<Record<K, T>> = {};
  for (const kind of selected(ctx, kinds)) m[kind] = await measure(kind);
  return m;
}

/** CPU that neither the systems under test, their Redis nor the benchmark used: other tenants. */
export function othersCores(x: {
  machineCores: number;
  serverCores: number;
  redisCores: number | undefined;
  generatorCores: number;
  benchCores: number;
}): number {
  const ours = x.serverCores + (x.redisCores ?? 0) + x.generatorCores + x.benchCores;
  return Math.max(0, x.machineCores - ours);
}

/** A note for tables measured while other processes took a noticeable share of the machine. */
export function disturbance(cores: (number | undefined)[]): string[] {
  const worst = Math.max(0, ...cores.filter((c): c is number => c !== undefined));
  return worst > 0.3
    ? [
        `WARNING: other processes used up to ${worst.toFixed(2)} cores during this table; its figures are disturbed. Re-run on a quiet machine.`,
      ]
    : [];
}
