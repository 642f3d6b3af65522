import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export type Machine = ReturnType<typeof machine>;

/** The machine a result was measured on, stored with every result. */
export function machine(calibrationMs: number) {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    calibrationMs,
  };
}

/**
 * The host's single-thread speed as this benchmark meets it: the median of 9 timed rounds (after
 * one to warm up) of a fixed workload (a message frame through JSON and SHA-256, 20,000 times). Two hosts that report
 * the same CPU can differ twofold; this figure, taken before any system starts, tells them apart.
 */
export function calibrate(): number {
  const frame = {
    type: 'message',
    message: { room: 'dm:a:b', seq: 0, from: 'a', text: 'x'.repeat(64), clientMsgId: 'a-1' },
  };
  const rounds: number[] = [];
  let sink = 0;
  for (let r = 0; r < 10; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) {
      frame.message.seq = i;
      const json = JSON.stringify(frame);
      sink += (JSON.parse(json) as typeof frame).message.seq;
      sink += createHash('sha256').update(json).digest()[0] ?? 0;
    }
    if (r > 0) rounds.push(performance.now() - t0);
  }
  if (sink < 0) throw new Error('unreachable');
  rounds.sort((a, b) => a - b);
  return Math.round(rounds[4] ?? 0);
}

/** Writes one scenario's figures as `<dir>/<run id>-<scenario>.json`; returns the path. */
export function writeResult(
  dir: string,
  runId: string,
  scenario: string,
  host: Machine,
  data: unknown,
): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${runId}-${scenario}.json`);
  writeFileSync(
    path,
    `${JSON.stringify({ scenario, runId, machine: host, ...(data as object) }, null, 2)}\n`,
  );
  return path;
}
