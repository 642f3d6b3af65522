import WebSocket from 'ws';
import { sleep } from '../scenarios/context.js';

/** Node's inspector port once SIGUSR1 has opened it (its default, 127.0.0.1 only). */
const INSPECTOR = 'http://127.0.0.1:9229';

/**
 * A full garbage collection in another Node process, so that heap and RSS read right after hold
 * live objects only: SIGUSR1 opens its inspector, `HeapProfiler.collectGarbage` runs twice.
 * Checks the inspector answering is that process (another may hold port 9229); false when it
 * could not, and the readings then carry whatever garbage there was.
 */
export async function collectGarbage(pid: number): Promise<boolean> {
  process.kill(pid, 'SIGUSR1');
  for (let attempt = 0; attempt < 20; attempt++) {
    await sleep(100);
    const targets = await fetch(`${INSPECTOR}/json/list`)
      .then((r) => r.json() as Promise<{ webSocketDebuggerUrl?: string }[]>)
      .catch(() => undefined);
    const url = targets?.[0]?.webSocketDebuggerUrl;
    if (url) return inspect(url, pid);
  }
  return false;
}

async function inspect(url: string, pid: number): Promise<boolean> {
  const ws = new WebSocket(url);
  let id = 0;
  const replies = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) replies.get(msg.id)?.(msg.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    Promise.race([
      new Promise<unknown>((resolve) => {
        replies.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
      sleep(30_000).then(() => {
        throw new Error(`inspector: ${method} did not answer`);
      }),
    ]);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const who = (await call('Runtime.evaluate', { expression: 'process.pid' })) as {
      result?: { value?: unknown };
    };
    if (who.result?.value !== pid) return false;
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    return true;
  } catch {
    return false;
  } finally {
    ws.close();
  }
}
