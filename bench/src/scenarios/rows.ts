import { coreCount, fmt } from '../report/format.js';
import type { SutKind } from '../sut/sut.js';
import { disturbance, othersCores } from './context.js';
import type { Measured } from './runs.js';

/** A table column: one system's figure, or the ratio of two systems' figures ("ours ÷ …"). */
export type Column<K extends string = SutKind> = K | { ratio: [K, K] };

/** The columns of a table over every system: each figure, and ours (Redis) against the others. */
export const everySystemColumns: Column[] = [
  'ours-redis',
  'ours-memory',
  'socketio',
  { ratio: ['ours-redis', 'socketio'] },
  'relay',
  { ratio: ['ours-redis', 'relay'] },
];

/** Formats one table row; `compare = false` leaves its ratio cells empty ("—"). */
export type Row<T> = (
  name: string,
  figure: (x: T) => number,
  show: (n: number) => string,
  compare?: boolean,
) => string[];

/** A row function over `columns`, reading each system's figure from `m` ("—" if it did not run). */
export function rowMaker<T, K extends string = SutKind>(
  m: Partial<Record<K, T>>,
  columns: Column<K>[],
): Row<T> {
  return (name, figure, show, compare = true) => [
    name,
    ...columns.map((c) => {
      if (typeof c === 'string') {
        const x = m[c];
        return show(x ? figure(x) : Number.NaN);
      }
      if (!compare) return '—';
      const [a, b] = c.ratio.map((k) => m[k]);
      return fmt.ratio(a && figure(a), b && figure(b));
    }),
  ];
}

/** The send → delivery latency rows (p50, p99, p99.9) of a message table. */
export function latencyRows<T extends Measured>(row: Row<T>): string[][] {
  return [
    row('latency p50 (ms)', (x) => x.p50, fmt.ms),
    row('latency p99 (ms)', (x) => x.p99, fmt.ms),
    row('latency p99.9 (ms)', (x) => x.p999, fmt.ms),
  ];
}

/** The Redis CPU, generator CPU and loop delay, and other processes' CPU rows of a message table. */
export function cpuRows<T extends Measured>(row: Row<T>): string[][] {
  return [
    row('Redis CPU (cores)', (x) => x.redisCores ?? Number.NaN, fmt.cores),
    row('generator CPU (cores)', (x) => x.generatorCores, fmt.cores),
    row('generator loop delay p99 (ms)', (x) => x.generatorLoopP99, fmt.ms),
    row(`other processes' CPU, approx. (cores of ${coreCount})`, othersCores, fmt.cores, false),
  ];
}

/** The wording of the closed-loop table rows that differ between throughput and fan-out. */
export interface ClosedLoopLabels {
  delivered: string;
  serverCpu: string;
  serverRss: string;
}

/** The rows of a closed-loop table (throughput, fan-out): rate, latency, CPU, memory, failures. */
export function closedLoopRows<T extends Measured>(
  row: Row<T>,
  label: ClosedLoopLabels,
): string[][] {
  return [
    row(label.delivered, (x) => x.rate, fmt.int),
    ...latencyRows(row),
    row(label.serverCpu, (x) => x.serverCores, fmt.cores),
    row(label.serverRss, (x) => x.serverRss, fmt.mb),
    ...cpuRows(row),
    row('refused / closed', (x) => x.refused + x.closed, fmt.int),
  ];
}

/** The warning note if other processes disturbed any system's measurement (see `disturbance`). */
export function disturbanceNote<K extends string>(m: Partial<Record<K, Measured>>): string[] {
  const measured: (Measured | undefined)[] = Object.values(m);
  return disturbance(measured.map((x) => (x ? othersCores(x) : undefined)));
}
