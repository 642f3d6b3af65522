import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { track } from '../targets/children.js';
import type { Command, Reply } from './commands.js';

const workerMain = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Load-generator processes, each with its own event loop (and its own 20,000-fd allowance). */
export class WorkerPool {
  #seq = 0;
  #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(readonly workers: ChildProcess[]) {
    for (const w of workers) {
      w.on('message', (msg: Reply | { ready: true }) => {
        if (!('seq' in msg)) return;
        const waiter = this.#waiting.get(msg.seq);
        this.#waiting.delete(msg.seq);
        if (msg.ok) waiter?.resolve(msg.result);
        else waiter?.reject(new Error(msg.error));
      });
      w.on('exit', (code) => {
        if (code !== 0)
          for (const waiter of this.#waiting.values())
            waiter.reject(new Error(`worker exited ${code}`));
      });
    }
  }

  static async start(count: number): Promise<WorkerPool> {
    const workers = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<ChildProcess>((resolve, reject) => {
            const w = track(
              fork(workerMain, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
            );
            w.once('error', reject);
            w.once('message', () => resolve(w));
          }),
      ),
    );
    return new WorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** PIDs of the generator processes (their CPU is also read from /proc). */
  get pids(): number[] {
    return this.workers.map((w) => w.pid ?? 0);
  }

  call<T>(worker: number, cmd: Command): Promise<T> {
    const w = this.workers[worker];
    if (!w) return Promise.reject(new Error(`no worker ${worker}`));
    const seq = ++this.#seq;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      w.send({ seq, cmd });
    });
  }

  /** The same command (or one per worker) on every worker, in parallel. */
  all<T>(cmd: Command | ((worker: number) => Command)): Promise<T[]> {
    return Promise.all(
      this.workers.map((_, i) => this.call<T>(i, typeof cmd === 'function' ? cmd(i) : cmd)),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null) return resolve();
            const force = setTimeout(() => w.kill('SIGKILL'), 3000);
            w.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            w.send({ seq: 0, cmd: { op: 'close' } });
          }),
      ),
    );
  }
}
