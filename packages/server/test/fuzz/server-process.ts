import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { deleteKeys, requireRedis, testRedisUrl, uniquePrefix } from '@ephemeral-chat/testkit';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Limits raised so the fuzzer is not throttled (one test keeps the defaults). */
export const unthrottled: Record<string, string> = {
  WS_FRAME_RATE: '1000000',
  WS_FRAME_BURST: '1000000',
  WS_SEND_RATE: '1000000',
  WS_SEND_BURST: '1000000',
  WS_MAX_SOCKETS_PER_USER: '1000',
  WS_MAX_IN_FLIGHT: '1000',
  REGISTER_MAX_PER_IP: '1000000',
  LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '1000000',
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000',
  LOGIN_MAX_FAILURES_PER_IP: '1000000',
};

export interface FuzzServer {
  readonly url: string;
  readonly pid: number;
  /** Set once the process exited: how, and the last lines it wrote. */
  exited(): string | undefined;
  rssBytes(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The built server as a child process, so a crash is seen as an exit (with its output) instead
 * of taking the test runner with it. Its own data dir and Redis key prefix, removed on close.
 */
export async function startFuzzServer(
  redis: boolean,
  env: Record<string, string>,
): Promise<FuzzServer> {
  if (redis) await requireRedis();
  const dir = await mkdtemp(join(tmpdir(), 'ec-fuzz-'));
  const prefix = uniquePrefix();
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=1024', main], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dir,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      REDIS_KEY_PREFIX: prefix,
      ...(redis ? { REDIS_URL: testRedisUrl } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (tail.length > 30) tail.shift();
  };
  let exit: string | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${tail.join('\n')}`)),
      15_000,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      keep(line);
      const m = /"url":"([^"]+)"/.exec(line);
      if (m?.[1] && line.includes('listening')) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', keep);
    child.once('exit', (code, signal) => {
      exit = `exited with ${signal ?? code}`;
      clearTimeout(timer);
      reject(new Error(`server ${exit}`));
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    // The tail is read when asked: stderr lines may arrive after the exit event.
    exited: () =>
      exit === undefined ? undefined : `${exit}; last output:\n${tail.slice(-12).join('\n')}`,
    async rssBytes() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : 0;
    },
    async close() {
      if (exit === undefined) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
      }
      if (redis) await deleteKeys(prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
