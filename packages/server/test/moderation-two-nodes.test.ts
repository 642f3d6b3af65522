import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@ephemeral-chat/protocol';
import {
  goodPassword,
  type NodeCluster,
  type NodeProcess,
  registerAt,
  startNodeCluster,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Suspension and account deletion across two nodes on one Redis and one PostgreSQL: the user's
// sockets close on both nodes within a second, sign-in is refused on either, and the deleted
// user's messages are unsent for a peer connected to the other node.

const ADMIN_TOKEN = 'two-node-admin-token-0123456789abcdef';

describe('moderation on two nodes', () => {
  let cluster: NodeCluster;
  let a: NodeProcess;
  let b: NodeProcess;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    cluster = await startNodeCluster({ ADMIN_TOKEN });
    a = await cluster.start('node-a');
    b = await cluster.start('node-b');
  }, 30_000);
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await cluster?.dispose();
  });

  const authed = async (node: NodeProcess, token: string) => {
    const s = await TestSocket.authed(node.url, token);
    sockets.push(s);
    return s;
  };
  const post = (node: NodeProcess, path: string, body: unknown, token = ADMIN_TOKEN) =>
    fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const login = async (node: NodeProcess, username: string) => {
    const res = await post(node, '/api/login', { username, password: goodPassword });
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
  };

  it('closes every socket of a suspended user on both nodes within a second', async () => {
    const user = await registerAt(a.url, 'sus2');
    const onA = [await authed(a, user.token), await authed(a, user.token)];
    const onB = [await authed(b, user.token), await authed(b, user.token)];
    const started = Date.now();
    const res = await post(a, '/api/admin/users/suspend', { username: user.username });
    expect(res.status).toBe(200);
    const closes = await Promise.all([...onA, ...onB].map((s) => s.closed));
    expect(Date.now() - started).toBeLessThan(1000);
    for (const c of closes) expect(c.reason).toBe('suspended');
    for (const node of [a, b]) {
      const refused = await login(node, user.username);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('account_suspended');
    }
    expect((await post(b, '/api/admin/users/unsuspend', { userId: user.id })).status).toBe(200);
    expect((await login(a, user.username)).status).toBe(200);
  });

  it('refuses every login racing a suspension once the suspension has answered', async () => {
    const user = await registerAt(a.url, 'race2');
    const logins = Array.from({ length: 6 }, (_, i) => login(i % 2 ? a : b, user.username));
    const suspended = post(b, '/api/admin/users/suspend', { username: user.username });
    const results = await Promise.all(logins);
    expect((await suspended).status).toBe(200);
    // A login that won the race got a session; it must be dead now, on both nodes.
    for (const r of results) {
      const token = (r.body as { token?: string }).token;
      if (!token) continue;
      for (const node of [a, b]) {
        const me = await fetch(`${node.url}/api/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(me.status).toBe(401);
      }
    }
  });

  it('takes a report on one node and shows it to the operator on the other (PostgreSQL)', async () => {
    const [from, to] = [await registerAt(a.url, 'rfrom'), await registerAt(b.url, 'rto')];
    const fromA = await authed(a, from.token);
    const toB = await authed(b, to.token);
    const opened = await fromA.request({ type: 'open', username: to.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const text = `spam ${randomUUID()}`;
    const ack = await fromA.request({
      type: 'send',
      room: opened.room,
      text,
      clientMsgId: randomUUID(),
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    const got = await toB.next((f) => f.type === 'message' && f.message.seq === ack.message.seq);
    if (got.type !== 'message') throw new Error('no message');
    // Unsent, then reported from the copy received on node b: node b verifies node a's commitment.
    expect(
      (await fromA.request({ type: 'unsend', room: opened.room, seq: ack.message.seq })).type,
    ).toBe('unsent');
    const { from: sender, clientMsgId, createdAt, mac = '' } = got.message;
    const reply = await toB.request({
      type: 'report',
      room: opened.room,
      seq: ack.message.seq,
      reason: 'spam',
      copy: { from: sender, text, clientMsgId, createdAt, mac },
    });
    expect(reply.type, JSON.stringify(reply)).toBe('reported');
    const list = await fetch(`${a.url}/api/admin/reports`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = (await list.json()) as {
      reports: { source: string; message: { text: string } }[];
    };
    expect(body.reports.find((r) => r.message.text === text)?.source).toBe('copy');
  });

  it('deletes an account on one node: its sockets close on both, a peer on the other node gets unsent', async () => {
    const [gone, peer] = [await registerAt(a.url, 'gone2'), await registerAt(b.url, 'peer2')];
    const goneA = await authed(a, gone.token);
    const goneB = await authed(b, gone.token);
    const peerB = await authed(b, peer.token);
    const opened = await goneA.request({ type: 'open', username: peer.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const ack = await goneA.request({
      type: 'send',
      room: opened.room,
      text: `bye ${randomUUID()}`,
      clientMsgId: randomUUID(),
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    await peerB.next((f) => f.type === 'message' && f.message.seq === ack.message.seq);
    const res = await post(a, '/api/account/delete', { password: goodPassword }, gone.token);
    expect(res.status).toBe(204);
    for (const s of [goneA, goneB]) expect((await s.closed).reason).toBe('deleted');
    const unsent = await peerB.next(
      (f: ServerFrame) => f.type === 'unsent' && f.room === opened.room,
    );
    expect(unsent).toEqual({ type: 'unsent', room: opened.room, seq: ack.message.seq });
    // The peer's node had the deleted user cached (it delivered their message): it forgot them,
    // so the old room takes nothing more, on either node.
    const peerA = await authed(a, peer.token);
    for (const s of [peerB, peerA]) {
      const reply = await s.request({
        type: 'send',
        room: opened.room,
        text: 'anyone there?',
        clientMsgId: randomUUID(),
      });
      expect(reply).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    }
  });
});
