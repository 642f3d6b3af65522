import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  deleteKeys,
  type NodeProcess,
  requireRedis,
  startNodeProcess,
  testRedisUrl,
  uniquePrefix,
} from '@ephemeral-chat/testkit';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface ChatStack {
  /** The chat server as browsers reach it: http://localhost:<port>. */
  url: string;
  server: NodeProcess;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The built server on real Redis (own key prefix) with SQLite in a temp dir. */
export async function startChatStack(env: Record<string, string> = {}): Promise<ChatStack> {
  await requireRedis();
  const prefix = uniquePrefix();
  const dataDir = await mkdtemp(join(tmpdir(), 'ec-e2e-'));
  const server = await startNodeProcess({
    DATA_DIR: dataDir,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: prefix,
    BCRYPT_COST: '4',
    REGISTER_MAX_PER_IP: '1000',
    PRESENCE_SWEEP_MS: '1000',
    ...env,
  });
  return {
    url: server.url.replace('127.0.0.1', 'localhost'),
    server,
    async [Symbol.asyncDispose]() {
      await server.kill();
      await deleteKeys(prefix);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Spawned {
  url: string;
  child: ChildProcess;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Runs an example's own start command and waits for the line that says it is up. */
export async function startExample(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<Spawned & { lines: string[] }> {
  const child = spawn(process.execPath, [join(repo, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start:\n${lines.join('')}`)),
      20_000,
    );
    const onData = (d: Buffer) => {
      lines.push(String(d));
      const m = ready.exec(lines.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? '');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${script} exited with ${code}:\n${lines.join('')}`)),
    );
  });
  return {
    url,
    child,
    lines,
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
