import type { Message } from '@ephemeral-chat/protocol';
import {
  isMessage,
  type NodeCluster,
  type NodeProcess,
  registerAt as register,
  startNodeCluster,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let cluster: NodeCluster;
let node1: NodeProcess;
let node2: NodeProcess;

beforeAll(async () => {
  cluster = await startNodeCluster({ PRESENCE_TTL_MS: '3000', PRESENCE_SWEEP_MS: '500' });
  node1 = await cluster.start('node-1');
  node2 = await cluster.start('node-2');
});
afterAll(() => cluster?.dispose());

describe('two server processes on one Redis', () => {
  it('lets users on different nodes chat, and after a node dies the client resumes on the other with every message exactly once', async () => {
    const alice = await register(node1.url, 'alice');
    const bob = await register(node2.url, 'bob');
    const a = await TestSocket.authed(node1.url, alice.token);
    const b = await TestSocket.authed(node2.url, bob.token);

    const watching = await b.request({ type: 'presence', userIds: [alice.id] });
    expect(watching).toMatchObject({ online: [alice.id] });

    const opened = await a.request({ type: 'open', username: bob.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const room = opened.room;
    expect(opened.peer.online).toBe(true);

    const seen = new Map<number, Message>();
    const record = (m: Message) => {
      expect(seen.has(m.seq), `seq ${m.seq} delivered twice`).toBe(false);
      seen.set(m.seq, m);
    };
    const acked: Message[] = [];
    for (let i = 0; i < 3; i++) {
      const ack = await a.request({
        type: 'send',
        room,
        text: `a${i}`,
        ttl: 60_000,
        clientMsgId: `a${i}`,
      });
      if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
      acked.push(ack.message);
      const live = await b.next(isMessage(room));
      if (live.type === 'message') expect(live.message).toEqual(ack.message);
    }
    const fromBob = await b.request({
      type: 'send',
      room,
      text: 'b0',
      ttl: 60_000,
      clientMsgId: 'b0',
    });
    if (fromBob.type !== 'ack') throw new Error();
    acked.push(fromBob.message);
    for (let i = 0; i < 4; i++) {
      const live = await a.next(isMessage(room));
      if (live.type === 'message') record(live.message);
    }
    const lastSeq = Math.max(...seen.keys());

    // Node 1 crashes: alice's socket drops; bob keeps writing meanwhile.
    await node1.kill();
    const dropped = await a.closed;
    expect(dropped.code).not.toBe(1000);
    for (let i = 1; i <= 3; i++) {
      const ack = await b.request({
        type: 'send',
        room,
        text: `b${i}`,
        ttl: 60_000,
        clientMsgId: `b${i}`,
      });
      if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
      acked.push(ack.message);
    }

    // Alice reconnects to node 2 and resumes from the last seq she saw.
    const a2 = await TestSocket.authed(node2.url, alice.token);
    const resumed = await a2.request({ type: 'resume', room, after: lastSeq });
    if (resumed.type !== 'resumed') throw new Error(JSON.stringify(resumed));
    for (const m of resumed.messages) record(m);
    expect([...seen.values()].sort((x, y) => x.seq - y.seq)).toEqual(
      acked.sort((x, y) => x.seq - y.seq),
    );

    // Live again on the surviving node.
    const more = await b.request({
      type: 'send',
      room,
      text: 'b4',
      ttl: 60_000,
      clientMsgId: 'b4',
    });
    const live = await a2.next(isMessage(room));
    if (live.type === 'message' && more.type === 'ack') expect(live.message).toEqual(more.message);

    // Presence: alice's mark on the dead node lapses; her new socket on node 2 keeps her online.
    const still = await b.request({ type: 'presence', userIds: [alice.id] });
    expect(still).toMatchObject({ online: [alice.id] });
    await a2.close();
    expect(await b.next((f) => f.type === 'presence.changed' && !f.online, 8_000)).toMatchObject({
      userId: alice.id,
    });
    await b.close();
  });

  it('reports a user offline after the presence TTL when their only node crashed', async () => {
    const carol = await register(node2.url, 'carol');
    const dave = await register(node2.url, 'dave');
    // Carol on a node of her own that will crash.
    const node3 = await cluster.start('node-3');
    const c = await TestSocket.authed(node3.url, carol.token);
    const d = await TestSocket.authed(node2.url, dave.token);
    expect(await d.request({ type: 'presence', userIds: [carol.id] })).toMatchObject({
      online: [carol.id],
    });
    await node3.kill();
    await c.closed;
    const started = Date.now();
    expect(await d.next((f) => f.type === 'presence.changed' && !f.online, 10_000)).toMatchObject({
      userId: carol.id,
    });
    expect(Date.now() - started).toBeLessThan(3000 + 2000);
    await d.close();
  });
});
