import {
  goodPassword,
  type NodeCluster,
  type NodeProcess,
  newUsername,
  startNodeCluster,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Needs the built server: `npx tsc -b packages/protocol packages/server`.
const SOCKETS = 150;
const TRIALS = 6;
/** ms between the auth frames and logout, per trial. */
const DELAYS = [0, 1, 3, 6, 10, 20];
let cluster: NodeCluster;
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
  // 150 sockets of one user on one node.
  cluster = await startNodeCluster({ WS_FRAME_BURST: '1000', WS_MAX_SOCKETS_PER_USER: '1000' });
  node1 = await cluster.start('node-1');
  node2 = await cluster.start('node-2');
});
afterAll(() => cluster?.dispose());

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
