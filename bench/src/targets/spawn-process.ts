import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { track } from './children.js';

export interface RunningProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /**
   * Log lines at warn or above (JSON `level` ≥ 40, pino's numbering) since start: how many, and
   * the first few, so a run can say what a server complained about under load.
   */
  readonly complaints: { count: number; first: string[] };
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const WARN_LEVEL = 40;
const MAX_COMPLAINTS = 5;
/**
 * Node flags every server under test runs with — ours, Socket.IO and the relay alike: the young
 * generation that docs/deployment.md recommends for a busy node (fewer scavenges, so less of
 * what is in flight gets promoted and collected again later).
 */
export const serverNodeFlags = ['--max-semi-space-size=64'] as const;
/** Extra Node flags for the servers under test, e.g. `--cpu-prof` to profile them. */
const extraArgs = [
  ...serverNodeFlags,
  ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
];

/**
 * Runs a Node program and resolves once it logs a JSON line whose `msg` mentions "listening" and
 * which carries its `url` (the ephemeral-chat server's start line; the peers print the same).
 */
export async function spawnNode(
  script: string,
  env: Record<string, string>,
): Promise<RunningProcess> {
  const child = track(
    spawn(process.execPath, [...extraArgs, script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const lines: string[] = [];
  const complaints = { count: 0, first: [] as string[] };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start:\n${lines.join('\n')}`));
    }, START_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${lines.join('\n')}`));
    };
    child.once('exit', onExit);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (lines.length < 200) lines.push(line);
      try {
        const entry = JSON.parse(line) as {
          url?: string;
          msg?: string;
          level?: unknown;
          worker?: unknown;
        };
        if (typeof entry.level === 'number' && entry.level >= WARN_LEVEL) {
          complaints.count++;
          if (complaints.first.length < MAX_COMPLAINTS) complaints.first.push(line.slice(0, 500));
        }
        // WORKERS=N: each worker logs its own start line; the primary's, once all listen, counts.
        if (entry.url && entry.msg?.includes('listening') && entry.worker === undefined) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(entry.url);
        }
      } catch {
        // not JSON: kept for the error message
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (lines.length < 200) lines.push(String(d));
    });
  });
  // Keep draining output so a chatty process never blocks on a full pipe; warnings are shown.
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${script}] ${d}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(force);
  };
  if (child.pid === undefined) throw new Error(`${script} has no pid`);
  return { url, pid: child.pid, child, stop, complaints };
}
