import { fmt } from '../report/format.js';
import { printTable } from '../report/table.js';
import type { GoalFigures } from './context.js';

/** The goals of issues 7 and 14, judged on whatever this run measured. */
export function printGoals(g: Partial<GoalFigures>): void {
  const judge = (v: number | undefined, ok: (v: number) => boolean) =>
    v === undefined ? 'not run' : ok(v) ? 'met' : 'missed';
  printTable({
    title: 'Goals',
    columns: ['goal', 'measured', 'verdict'],
    rows: [
      [
        'throughput (Redis) ≥ 5× Socket.IO',
        g.throughputVsSocketIo === undefined ? '—' : `${g.throughputVsSocketIo.toFixed(2)}×`,
        judge(g.throughputVsSocketIo, (v) => v >= 5),
      ],
      [
        'throughput (Redis) ≥ ½ bare relay',
        g.throughputVsRelay === undefined ? '—' : `${g.throughputVsRelay.toFixed(2)}×`,
        judge(g.throughputVsRelay, (v) => v >= 0.5),
      ],
      [
        'throughput with read receipts (Redis) ≥ ½ send-only',
        g.receiptsVsSendOnly === undefined ? '—' : `${g.receiptsVsSendOnly.toFixed(2)}×`,
        judge(g.receiptsVsSendOnly, (v) => v >= 0.5),
      ],
      [
        'p99 < 5 ms at 50 % load',
        g.p99AtHalfLoad === undefined ? '—' : `${fmt.ms(g.p99AtHalfLoad)} ms`,
        judge(g.p99AtHalfLoad, (v) => v < 5),
      ],
      [
        '≤ 10 KB per idle connection',
        g.bytesPerConnection === undefined ? '—' : `${fmt.kb(g.bytesPerConnection)} KB`,
        judge(g.bytesPerConnection, (v) => v <= 10 * 1024),
      ],
      [
        '20,000 connections held',
        fmt.int(g.connectionsHeld),
        g.connectionsCappedAt !== undefined && (g.connectionsHeld ?? 0) < 20_000
          ? `missed: capped by the server's open-files limit (${fmt.int(g.connectionsCappedAt)})`
          : judge(g.connectionsHeld, (v) => v >= 20_000),
      ],
    ],
  });
}
