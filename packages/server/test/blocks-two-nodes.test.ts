import {
  type NodeCluster,
  type NodeProcess,
  registerAt as register,
  startNodeCluster,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A block made on node A holds on node B as soon as its reply is out: node B had the pair's
// "not blocked" answer cached, and the `blocks` notice dropped it (one Redis, one PostgreSQL).

let cluster: NodeCluster;
let nodeA: NodeProcess;
let nodeB: NodeProcess;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  cluster = await startNodeCluster();
  nodeA = await cluster.start('node-a');
  nodeB = await cluster.start('node-b');
}, 30_000);
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await cluster?.dispose();
});

async function authed(node: NodeProcess, token: string): Promise<TestSocket> {
  const s = await TestSocket.authed(node.url, token);
  sockets.push(s);
  return s;
}

describe('blocks across two nodes', () => {
  it('stops a send, typing and presence of the blocked user on node B right after the reply on node A', async () => {
    const [alice, bob] = await Promise.all([
      register(nodeA.url, 'alice'),
      register(nodeB.url, 'bob'),
    ]);
    const a = await authed(nodeA, alice.token);
    const b = await authed(nodeB, bob.token);
    const room = alice.id < bob.id ? `dm:${alice.id}:${bob.id}` : `dm:${bob.id}:${alice.id}`;
    for (let round = 0; round < 5; round++) {
      // Node B checks (and caches) the pair: not blocked.
      expect(await b.request({ type: 'open', username: alice.username })).toMatchObject({
        type: 'opened',
      });
      const ack = await b.request({
        type: 'send',
        room,
        text: `hi ${round}`,
        clientMsgId: `r${round}`,
      });
      expect(ack.type).toBe('ack');
      expect(await b.request({ type: 'presence', userIds: [alice.id] })).toMatchObject({
        online: [alice.id],
      });

      expect(await a.request({ type: 'block', userId: bob.id })).toMatchObject({ type: 'blocked' });
      const send = await b.request({ type: 'send', room, text: 'after', clientMsgId: `x${round}` });
      expect(send).toMatchObject({ type: 'error', error: { code: 'blocked' } });
      expect(await b.request({ type: 'open', username: alice.username })).toMatchObject({
        error: { code: 'blocked' },
      });
      expect(await b.request({ type: 'presence', userIds: [alice.id] })).toMatchObject({
        online: [],
      });
      const search = await fetch(`${nodeB.url}/api/users/search?q=${alice.username}`, {
        headers: { authorization: `Bearer ${bob.token}` },
      });
      expect(await search.json()).toEqual({ users: [] });

      expect(await a.request({ type: 'unblock', userId: bob.id })).toMatchObject({
        type: 'unblocked',
      });
    }
    const history = await a.request({ type: 'history', room, limit: 100 });
    if (history.type !== 'history') throw new Error(JSON.stringify(history));
    expect(history.messages.map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `hi ${i}`));
  });
});
