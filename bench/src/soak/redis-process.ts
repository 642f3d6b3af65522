import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { track } from '../targets/children.js';

/**
 * A private redis-server the soak may stall and kill. AOF on (`appendfsync everysec`, as
 * docs/deployment.md asks) and RDB off, in a directory of the run's own, so a restart on the same
 * port and directory comes back with the data — sessions included.
 */
export class RedisProcess {
  #child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = track(
      spawn(
        'redis-server',
        [
          '--port',
          String(this.port),
          '--bind',
          '127.0.0.1',
          '--dir',
          this.dir,
          '--save',
          '',
        ].concat(['--appendonly', 'yes', '--appendfsync', 'everysec', '--hz', '100']),
        { stdio: 'ignore' },
      ),
    );
    child.once('error', () => {});
    this.#child = child;
    await waitForPing(this.url, 10_000);
  }

  /** SIGSTOP: the process and its sockets stay, nothing answers (a stall, a GC pause, a VM hiccup). */
  stall(): void {
    this.#signal('SIGSTOP');
  }

  resume(): void {
    this.#signal('SIGCONT');
  }

  /** SIGKILL, no shutdown: only what reached the AOF survives. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  #signal(signal: NodeJS.Signals): void {
    const child = this.#child;
    // Only a live process: after it exited its pid may belong to someone else.
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, signal);
    }
  }
}

async function waitForPing(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      // Answers LOADING while the AOF replays: wait for a real PONG.
      if ((await probe.ping()) === 'PONG') return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url}: ${String(err)}`);
    } finally {
      probe.disconnect();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
