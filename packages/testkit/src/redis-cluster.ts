import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';
import { waitForRedis } from './wait-for-redis.js';

export interface RedisClusterOptions {
  /** @default 3 */
  masters?: number;
  /** @default 0 */
  replicasPerMaster?: number;
  /** `cluster-node-timeout`: how long a silent node takes to be failed over. @default 1000 */
  nodeTimeoutMs?: number;
  /** More redis-server arguments for every node, e.g. `['--hz', '100']`. */
  args?: string[];
  /** The whole start-up (spawn, join, sync) must finish within this. @default 20000 */
  timeoutMs?: number;
  /** Called with each process started, e.g. to kill it when the caller exits. */
  onSpawn?(child: ChildProcess): void;
}

export interface RedisClusterNode {
  readonly port: number;
  /** The role it was started in (a failover changes the live role, not this). */
  readonly role: 'master' | 'replica';
  /** A replica's master's port. */
  readonly master?: number;
}

export interface RedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,…`, masters first: the value of `REDIS_CLUSTER`. */
  readonly seeds: string;
  readonly nodes: readonly RedisClusterNode[];
  /** SIGKILL one node: an outage, no goodbye. */
  kill(port: number): Promise<void>;
  /** Kills every node and removes the data directory. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const SLOTS = 16384;

// Every redis-server started here dies with the process that started it, whatever the exit.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/**
 * A Redis Cluster of the caller's own: `masters × (1 + replicasPerMaster)` redis-servers on free
 * ports (nothing persisted, a temp dir), joined with CLUSTER MEET / ADDSLOTSRANGE / REPLICATE, and
 * resolved once every node says `cluster_state:ok`, knows every other node, and every replica is
 * in sync. Never hangs: a start-up that takes longer than `timeoutMs` fails naming its step.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const nodeTimeout = options.nodeTimeoutMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 20_000;
  if (!Number.isInteger(masters) || masters < 1) throw new Error('masters must be ≥ 1');
  if (!Number.isInteger(replicas) || replicas < 0) throw new Error('replicasPerMaster must be ≥ 0');

  const started = Date.now();
  const deadline = started + timeoutMs;
  const dir = await mkdtemp(join(tmpdir(), 'ec-redis-cluster-'));
  const children = new Map<number, ChildProcess>();
  const admins: Redis[] = [];
  let step = 'allocate ports';

  const kill = async (port: number) => {
    const c = children.get(port);
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  const stop = async () => {
    for (const a of admins) a.disconnect();
    admins.length = 0;
    await Promise.all([...children.keys()].map(kill));
    await rm(dir, { recursive: true, force: true });
  };

  const nodes: RedisClusterNode[] = [];
  // Nodes are numbered masters first, then each master's replicas in turn.
  const masterOf = (i: number) => Math.floor((i - masters) / replicas);
  try {
    // Cluster bus ports are chosen too (`cluster-port`): port + 10000 may not exist or be free.
    const total = masters * (1 + replicas);
    const ports: { port: number; bus: number }[] = [];
    const taken = new Set<number>();
    const pick = async () => {
      for (;;) {
        const p = await freePort();
        if (!taken.has(p)) {
          taken.add(p);
          return p;
        }
      }
    };
    for (let i = 0; i < total; i++) ports.push({ port: await pick(), bus: await pick() });
    for (let i = 0; i < masters; i++) nodes.push({ port: at(ports, i).port, role: 'master' });
    for (let i = masters; i < total; i++) {
      const master = at(ports, masterOf(i)).port;
      nodes.push({ port: at(ports, i).port, role: 'replica', master });
    }

    step = 'spawn redis-server';
    for (const { port, bus } of ports) {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(bus),
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          String(nodeTimeout),
          '--save',
          '',
          '--appendonly',
          'no',
          ...(options.args ?? []),
        ],
        { stdio: 'ignore' },
      );
      child.once('error', () => {});
      trackChild(child);
      options.onSpawn?.(child);
      children.set(port, child);
    }
    await Promise.all(
      ports.map(({ port }) =>
        waitForRedis(`redis://127.0.0.1:${port}`, Math.max(1, deadline - Date.now())).catch(
          (err) => {
            throw new Error(
              `redis-server on ${port} (is it installed?): ${(err as Error).message}`,
            );
          },
        ),
      ),
    );
    for (const { port } of ports) {
      const a = new Redis(port, '127.0.0.1', {
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        commandTimeout: 3000,
      });
      a.on('error', () => {});
      admins.push(a);
    }
    const cmd = (i: number, ...args: (string | number)[]) =>
      at(admins, i).call('CLUSTER', args) as Promise<unknown>;

    step = 'CLUSTER SET-CONFIG-EPOCH';
    // Distinct epochs from the start, as redis-cli does, rather than waiting on collision handling.
    for (let i = 0; i < total; i++) await cmd(i, 'SET-CONFIG-EPOCH', i + 1);

    step = 'CLUSTER ADDSLOTSRANGE';
    for (let m = 0; m < masters; m++) {
      const from = Math.floor((m * SLOTS) / masters);
      const to = Math.floor(((m + 1) * SLOTS) / masters) - 1;
      await cmd(m, 'ADDSLOTSRANGE', from, to);
    }

    step = 'CLUSTER MEET';
    for (let i = 1; i < total; i++)
      await cmd(0, 'MEET', '127.0.0.1', at(ports, i).port, at(ports, i).bus);

    step = 'CLUSTER MYID';
    const ids = (await Promise.all(ports.map((_, i) => cmd(i, 'MYID')))).map(String);

    step = 'gossip (every node knowing every node)';
    await until(deadline, async () => {
      const views = await Promise.all(ports.map((_, i) => cmd(i, 'NODES')));
      return views.every((v) => parseNodes(String(v)).filter((n) => !n.handshake).length === total);
    });

    step = 'CLUSTER REPLICATE';
    for (let i = masters; i < total; i++) {
      await cmd(i, 'REPLICATE', at(ids, masterOf(i)));
    }

    step = 'convergence (cluster_state:ok everywhere, replicas in sync)';
    const expectedMaster = new Map<string, string>();
    for (let i = masters; i < total; i++) {
      expectedMaster.set(at(ids, i), at(ids, masterOf(i)));
    }
    await until(deadline, async () => {
      for (let i = 0; i < total; i++) {
        const info = String(await cmd(i, 'INFO'));
        if (!/^cluster_state:ok/m.test(info)) return false;
        if (field(info, 'cluster_known_nodes') !== String(total)) return false;
        if (field(info, 'cluster_size') !== String(masters)) return false;
        const view = parseNodes(String(await cmd(i, 'NODES')));
        const healthy = view.every((n) => n.connected && !n.handshake && !n.failing);
        const roles = view.every((n) =>
          expectedMaster.has(n.id) ? n.master === expectedMaster.get(n.id) : n.master === '-',
        );
        if (view.length !== total || !healthy || !roles) return false;
      }
      for (let i = masters; i < total; i++) {
        const repl = await at(admins, i).info('replication');
        if (field(repl, 'master_link_status') !== 'up') return false;
        if (field(repl, 'master_sync_in_progress') !== '0') return false;
      }
      return true;
    });
  } catch (err) {
    await stop();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Redis Cluster did not start: step "${step}" failed after ${Date.now() - started} ms: ${why}`,
    );
  }
  for (const a of admins) a.disconnect();
  admins.length = 0;

  return {
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    nodes,
    kill,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
}

function field(text: string, name: string): string | undefined {
  return new RegExp(`^${name}:(\\S+)`, 'm').exec(text)?.[1];
}

interface NodeLine {
  id: string;
  master: string;
  handshake: boolean;
  failing: boolean;
  connected: boolean;
}

/** `CLUSTER NODES`: `<id> <ip:port@bus> <flags> <master|-> <ping> <pong> <epoch> <link> <slots…>`. */
function parseNodes(text: string): NodeLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const [id = '', , flags = '', master = '-', , , , link = ''] = line.split(' ');
      const f = flags.split(',');
      return {
        id,
        master,
        handshake: f.includes('handshake') || f.includes('noaddr'),
        failing: f.includes('fail') || f.includes('fail?'),
        connected: link === 'connected',
      };
    });
}

async function until(deadline: number, check: () => Promise<boolean>): Promise<void> {
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        last instanceof Error ? `timed out (last error: ${last.message})` : 'timed out',
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
