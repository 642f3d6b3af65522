import { type OwnRedis, startOwnRedis } from '@ephemeral-chat/testkit';
import { track } from '../targets/children.js';

/**
 * A private redis-server the soak may stall and kill. AOF on (`appendfsync everysec`, as
 * docs/deployment.md asks) and RDB off, in a directory of the run's own, so a restart on the same
 * port and directory comes back with the data — sessions included.
 */
export class RedisProcess {
  #redis: OwnRedis | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.#redis) return this.#redis.start();
    this.#redis = await startOwnRedis({
      port: this.port,
      dir: this.dir,
      appendfsync: 'everysec',
      args: ['--hz', '100'],
      startTimeoutMs: 10_000,
      onSpawn: track,
    });
  }

  /** SIGSTOP: the process and its sockets stay, nothing answers (a stall, a GC pause, a VM hiccup). */
  stall(): void {
    this.#redis?.stop();
  }

  resume(): void {
    this.#redis?.cont();
  }

  /** SIGKILL, no shutdown: only what reached the AOF survives. */
  async kill(): Promise<void> {
    await this.#redis?.kill();
  }
}
