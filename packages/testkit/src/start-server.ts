import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@ephemeral-chat/server';
import { dropSchema, requirePostgres, testDatabaseUrl, uniqueSchemaName } from './postgres.js';
import { deleteKeys, requireRedis, testRedisUrl, uniquePrefix } from './redis.js';

export interface TestServer extends RunningServer {
  /** fetch against the server, JSON in and out. */
  api(path: string, init?: ApiInit): Promise<ApiResponse>;
}

export interface ApiInit {
  method?: string;
  /** Serialised as JSON unless it is already a string. */
  body?: unknown;
  token?: string | undefined;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes.
  body: any;
}

/**
 * The real server on port 0 with SQLite in a temp dir (or, with `postgres: true`, PostgreSQL in a
 * schema of its own), bcrypt at its cheapest cost, and either MemoryEngine or (with `redis: true`)
 * RedisEngine on a key prefix of its own. Everything it
 * created is removed on dispose.
 */
export async function startTestServer(
  options: { redis?: boolean | string; postgres?: boolean; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ec-server-'));
  const prefix = uniquePrefix();
  const redisUrl =
    typeof options.redis === 'string' ? options.redis : options.redis ? testRedisUrl : undefined;
  if (redisUrl === testRedisUrl) await requireRedis();
  const schema = options.postgres ? uniqueSchemaName() : undefined;
  if (schema) await requirePostgres();
  // Loaded on first use: the bench imports this package without wanting the server's runtime.
  const { createLogger, loadConfig, startServer } = await import('@ephemeral-chat/server');
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    BCRYPT_COST: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_FORMAT: 'json',
    REDIS_KEY_PREFIX: prefix,
    REGISTER_MAX_PER_IP: '1000',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...(schema ? { DATABASE_URL: testDatabaseUrl, DATABASE_SCHEMA: schema } : {}),
    ...options.env,
  });
  const server = await startServer(
    config,
    createLogger({ level: config.LOG_LEVEL, format: 'json' }),
  );
  const close = async () => {
    await server.close();
    if (redisUrl === testRedisUrl) await deleteKeys(prefix);
    if (schema) await dropSchema(schema);
    await rm(dataDir, { recursive: true, force: true });
  };
  return {
    ...server,
    close,
    [Symbol.asyncDispose]: close,
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(server.url + path, {
        method: init.method ?? (body ? 'POST' : 'GET'),
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: text ? JSON.parse(text) : undefined,
      };
    },
  };
}
