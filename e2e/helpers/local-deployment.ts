import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  dropSchema,
  freePort,
  requirePostgres,
  testDatabaseUrl,
  uniqueSchemaName,
} from '@ephemeral-chat/testkit';

const run = promisify(execFile);
const localDir = fileURLToPath(new URL('../../deploy/local/', import.meta.url));

/** The processes deploy/local/up.sh starts, by the name of their pidfile. */
export const components = ['redis', 'node1', 'node2', 'haproxy'] as const;
export type Component = (typeof components)[number];

export interface LocalDeployment {
  /** HAProxy's address, as clients reach it. */
  readonly url: string;
  /** What up.sh printed. */
  readonly output: string;
  /** The pid in a component's pidfile. */
  pid(name: Component): Promise<number>;
  /** Runs down.sh (idempotent): stops what up.sh started; returns what it printed. */
  down(): Promise<string>;
  /** down.sh --purge, then drops the PostgreSQL schema. */
  [Symbol.asyncDispose](): Promise<void>;
}

async function requireCommand(command: string, apt: string): Promise<void> {
  try {
    await run('bash', ['-c', `command -v ${command}`]);
  } catch {
    throw new Error(
      `${command} is not installed: deploy/local needs it. Install it with ` +
        `apt-get install ${apt} (.ci/run does; its system service need not run).`,
    );
  }
}

/**
 * `deploy/local/up.sh` on free ports, with a state directory and a PostgreSQL schema of its own:
 * HAProxy in front of two built server nodes on a redis-server of its own.
 */
export async function startLocalDeployment(
  env: Record<string, string> = {},
): Promise<LocalDeployment> {
  await Promise.all([
    requireCommand('redis-server', 'redis-server'),
    requireCommand('haproxy', 'haproxy'),
    requirePostgres(),
  ]);
  const state = await mkdtemp(join(tmpdir(), 'ec-deploy-'));
  const schema = uniqueSchemaName();
  const [lb, node1, node2, redis] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const deployEnv: NodeJS.ProcessEnv = {
    ...process.env,
    EC_STATE_DIR: state,
    EC_LB_PORT: String(lb),
    EC_NODE1_PORT: String(node1),
    EC_NODE2_PORT: String(node2),
    EC_REDIS_PORT: String(redis),
    EC_READY_TIMEOUT_S: '30',
    DATABASE_URL: testDatabaseUrl,
    DATABASE_SCHEMA: schema,
    ...env,
  };
  const script = (name: string, ...args: string[]) =>
    run('bash', [join(localDir, name), ...args], { env: deployEnv, timeout: 120_000 });

  const down = async () => (await script('down.sh')).stdout;
  const dispose = async () => {
    await script('down.sh', '--purge');
    await dropSchema(schema);
    await rm(state, { recursive: true, force: true });
  };
  let output: string;
  try {
    const { stdout, stderr } = await script('up.sh');
    output = stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    await dispose().catch(() => {});
    throw new Error(`deploy/local/up.sh failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  const pid = async (name: Component) =>
    Number((await readFile(join(state, `${name}.pid`), 'utf8')).trim());
  return {
    url: `http://localhost:${lb}`,
    output,
    pid,
    down,
    [Symbol.asyncDispose]: dispose,
  };
}

/** Whether a process is still running (signal 0 checks without signalling). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
