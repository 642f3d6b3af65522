import { newPepper, startOurs } from '../targets/ours.js';
import type { RunningProcess } from '../targets/spawn-process.js';

export interface NodeSettings {
  redisUrl: string;
  prefix: string;
  databaseUrl: string;
  schema: string;
  dataDir: string;
}

/**
 * The server nodes, each on a fixed port so a killed node restarts at the same address (as behind
 * a load balancer). PostgreSQL under a schema of the run's own holds the users both nodes share.
 */
export class Nodes {
  readonly #pepper = newPepper();
  readonly #running: (RunningProcess | undefined)[] = [];

  constructor(
    private readonly ports: readonly number[],
    readonly settings: NodeSettings,
  ) {}

  get urls(): string[] {
    return this.ports.map((p) => `http://127.0.0.1:${p}`);
  }

  /** One after the other: the first creates the schema. */
  async startAll(): Promise<void> {
    for (let i = 0; i < this.ports.length; i++) await this.start(i);
  }

  async start(i: number): Promise<void> {
    const s = this.settings;
    this.#running[i] = await startOurs({
      redis: { url: s.redisUrl, prefix: s.prefix },
      dataDir: s.dataDir,
      pepper: this.#pepper,
      env: {
        PORT: String(this.ports[i]),
        DATABASE_URL: s.databaseUrl,
        DATABASE_SCHEMA: s.schema,
        NODE_ID: `soak-${i}`,
      },
    });
  }

  /** SIGKILL: no drain, no goodbye to clients or Redis. */
  async kill(i: number): Promise<void> {
    const node = this.#running[i];
    this.#running[i] = undefined;
    if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
    const exited = new Promise((r) => node.child.once('exit', r));
    node.child.kill('SIGKILL');
    await exited;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.ports.map((_, i) => this.kill(i)));
  }
}
