import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { waitForRedis } from './wait-for-redis.js';

export interface OwnRedisOptions {
  /** @default a free port */
  port?: number;
  /** Data directory; one of its own (removed on dispose) by default. */
  dir?: string;
  /** AOF fsync policy, or `off` for no AOF at all. @default 'always' */
  appendfsync?: 'always' | 'everysec' | 'off';
  /** More redis-server arguments, e.g. `['--hz', '100']`. */
  args?: string[];
  /** How long to wait for the first PONG. @default 5000 */
  startTimeoutMs?: number;
  /** Called with each process started, e.g. to kill it when the caller exits. */
  onSpawn?(child: ChildProcess): void;
}

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** The running process's pid, undefined once killed before a start. */
  readonly pid: number | undefined;
  /** Stops the server (SIGKILL: an outage, not a clean shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** SIGSTOP: a stall (Redis frozen, connections kept open, commands queue in the kernel). */
  stop(): void;
  /** SIGCONT: the stalled server runs again and works through what queued up. */
  cont(): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A redis-server of the caller's own on a free port (AOF on, in a temp dir), for outage and
 * restart tests that must not disturb the shared Redis at 6379.
 */
export async function startOwnRedis(options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ec-redis-')));
  const fsync = options.appendfsync ?? 'always';
  const aof =
    fsync === 'off' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', fsync];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...aof, '--save', ''];
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('redis-server', [...args, ...(options.args ?? [])], { stdio: 'ignore' });
    child.once('error', () => {});
    options.onSpawn?.(child);
    await waitForRedis(`redis://127.0.0.1:${port}`, options.startTimeoutMs ?? 5000).catch((err) => {
      throw new Error(`redis-server did not start (is it installed?): ${(err as Error).message}`);
    });
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    kill,
    start,
    // Node sends no signal to a child that has exited, so a reused pid is never hit.
    stop: () => child?.kill('SIGSTOP'),
    cont: () => child?.kill('SIGCONT'),
    async [Symbol.asyncDispose]() {
      await kill();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
