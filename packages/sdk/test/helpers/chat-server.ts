import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deleteKeys,
  type NodeProcess,
  requireRedis,
  startNodeProcess,
  testRedisUrl,
  uniquePrefix,
} from '@ephemeral-chat/testkit';
import WebSocket from 'ws';
import { type Client, type ClientOptions, createClient } from '../../src/index.js';
import { startTcpProxy } from './tcp-proxy.js';

export interface ChatServer {
  readonly url: string;
  /** A client for this server on the `ws` package; disconnected on dispose. */
  client(options?: Partial<ClientOptions>): Client;
  /** A fresh registered, connected client. */
  user(base: string, options?: Partial<ClientOptions>): Promise<Client>;
  /** SIGKILL: a crash, no goodbye frame. */
  kill(): Promise<void>;
  /** Starts the server again, on the same data dir and Redis prefix, behind the same address. */
  start(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

let counter = 0;
export const password = 'correct horse battery staple';
export const newName = (base: string) => `${base}_${process.pid}_${++counter}`.slice(0, 32);

/**
 * The real server, built (`npm run build`), as its own process on a free port with SQLite in a
 * temp dir and the real Redis under a key prefix of its own; everything is removed on dispose.
 * Clients reach it through a TCP proxy (a load balancer's stable address), so a restarted server
 * may listen on another port: a killed one's port stays in TIME_WAIT for a while.
 */
export async function startChatServer(): Promise<ChatServer> {
  await requireRedis();
  const dataDir = await mkdtemp(join(tmpdir(), 'ec-sdk-'));
  const prefix = uniquePrefix();
  const env: Record<string, string> = {
    BCRYPT_COST: '4',
    DATA_DIR: dataDir,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: prefix,
    REGISTER_MAX_PER_IP: '1000',
    LOG_LEVEL: 'info',
  };
  let node: NodeProcess | undefined = await startNodeProcess(env);
  const proxy = await startTcpProxy(Number(new URL(node.url).port));
  const url = `http://127.0.0.1:${proxy.port}`;
  const clients: Client[] = [];
  const server: ChatServer = {
    url,
    client(options = {}) {
      const c = createClient({
        url,
        WebSocket,
        reconnectBaseDelayMs: 100,
        reconnectMaxDelayMs: 1000,
        ...options,
      });
      clients.push(c);
      return c;
    },
    async user(base, options) {
      const c = server.client(options);
      await c.register({ username: newName(base), password });
      await c.connect();
      return c;
    },
    async kill() {
      await node?.kill();
      node = undefined;
    },
    async start() {
      node = await startNodeProcess(env);
      proxy.target(Number(new URL(node.url).port));
    },
    async [Symbol.asyncDispose]() {
      for (const c of clients) c.disconnect();
      await node?.kill();
      await proxy.close();
      await deleteKeys(prefix);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** Resolves once `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
