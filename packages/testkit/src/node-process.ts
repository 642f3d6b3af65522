import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { serverMainPath } from './server-main.js';

export interface NodeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: a crash, no goodbye to anyone. */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Runs the built server (`npm run build` first; `npm test` does) as its own process, as an
 * operator would, and resolves once it logs that it listens.
 */
export async function startNodeProcess(env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, [serverMainPath()], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`node did not start:\n${lines.join('\n')}`)),
      15_000,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { url?: string; msg?: string; worker?: unknown };
        // WORKERS=N: each worker logs its own start line; the primary's, once all listen, counts.
        if (entry.url && entry.msg?.includes('listening') && entry.worker === undefined) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not JSON: keep it for the error message
      }
    });
    child.stderr?.on('data', (d: Buffer) => lines.push(String(d)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code}:\n${lines.join('\n')}`));
    });
  });
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  };
  return { url, child, kill, [Symbol.asyncDispose]: kill };
}
