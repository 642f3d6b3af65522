import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** The machine a result was measured on, stored with every result. */
export function machine() {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Writes one scenario's figures as `<dir>/<run id>-<scenario>.json`; returns the path. */
export function writeResult(dir: string, runId: string, scenario: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${runId}-${scenario}.json`);
  writeFileSync(
    path,
    `${JSON.stringify({ scenario, runId, machine: machine(), ...(data as object) }, null, 2)}\n`,
  );
  return path;
}
