import {
  deleteKeys,
  dropSchema,
  goodPassword,
  type NodeProcess,
  newUsername,
  requirePostgres,
  requireRedis,
  startNodeProcess,
  TestSocket,
  testDatabaseUrl,
  testRedisUrl,
  uniquePrefix,
  uniqueSchemaName,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Needs the built server: `npx tsc -b packages/protocol packages/server`.
const SOCKETS = 150;
const TRIALS = 6;
/** ms between the auth frames and logout, per trial. */
const DELAYS = [0, 1, 3, 6, 10, 20];
const prefix = uniquePrefix();
const schema = uniqueSchemaName();
let node1: NodeProcess;
let node2: NodeProcess;

async function post(url: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url + path, {
    method: 'POST',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { token?: string }) : undefined };
}

/** True when the socket still answers a `chats` request: it is authenticated and live. */
async function answersChats(socket: TestSocket): Promise<boolean> {
  if (socket.ws.readyState !== socket.ws.OPEN) return false;
  const reply = await socket.request({ type: 'chats' }, 1500).catch(() => undefined);
  return reply?.type === 'chats';
}

beforeAll(async () => {
  await Promise.all([requireRedis(), requirePostgres()]);
  const env = {
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: prefix,
    DATABASE_URL: testDatabaseUrl,
    DATABASE_SCHEMA: schema,
    PASSWORD_PEPPER: 'a shared pepper of at least thirty-two characters',
    BCRYPT_COST: '4',
    WS_FRAME_BURST: '1000',
    // 150 sockets of one user on one node.
    WS_MAX_SOCKETS_PER_USER: '1000',
  };
  // One after the other: the first runs the migrations.
  node1 = await startNodeProcess({ ...env, NODE_ID: 'node-1' });
  node2 = await startNodeProcess({ ...env, NODE_ID: 'node-2' });
});
afterAll(async () => {
  await Promise.all([node1?.kill(), node2?.kill()]);
  await deleteKeys(prefix);
  await dropSchema(schema);
});

describe('logging out on one node while the same token authenticates on another', () => {
  it(`leaves no socket live once logout has answered (${TRIALS} trials of ${SOCKETS} racing authentications)`, async () => {
    const username = newUsername('racer');
    const reg = await post(node1.url, '/api/register', { username, password: goodPassword });
    expect(reg.status).toBe(201);
    const survivors: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const login = await post(node1.url, '/api/login', { username, password: goodPassword });
      const token = login.body?.token;
      if (!token) throw new Error(JSON.stringify(login));
      const sockets = await Promise.all(
        Array.from({ length: SOCKETS }, () => TestSocket.connect(node1.url)),
      );
      // Every auth frame at once, and logout a few ms later, a different delay each trial: the
      // revocation lands among authentications at every stage (reading the session,
      // subscribing to the user's topic, re-checking, welcoming).
      for (const [i, s] of sockets.entries()) s.send({ type: 'auth', token, id: i });
      await new Promise((r) => setTimeout(r, DELAYS[trial % DELAYS.length]));
      const logout = post(node2.url, '/api/logout', undefined, token);
      expect((await logout).status).toBe(204);
      await new Promise((r) => setTimeout(r, 1000));
      const live = await Promise.all(sockets.map(answersChats));
      survivors.push(live.filter(Boolean).length);
      for (const s of sockets) s.ws.terminate();
    }
    expect(survivors).toEqual(Array(TRIALS).fill(0));
  });
});
