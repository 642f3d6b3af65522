import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@ephemeral-chat/protocol';
import {
  type NodeCluster,
  type NodeProcess,
  registerAt as register,
  startNodeCluster,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Unsend across two server processes on one Redis: the event reaches every connection of both
// members on both nodes, and neither node serves the message afterwards.

let cluster: NodeCluster;
let nodeA: NodeProcess;
let nodeB: NodeProcess;

beforeAll(async () => {
  cluster = await startNodeCluster();
  nodeA = await cluster.start('node-a');
  nodeB = await cluster.start('node-b');
}, 30_000);
afterAll(() => cluster?.dispose());

const unsentEvent = (room: string, seq: number) => (f: ServerFrame) =>
  f.type === 'unsent' && f.id === undefined && f.room === room && f.seq === seq;

describe('unsend across two nodes', () => {
  it('deletes the message for both members on both nodes at once', async () => {
    const [alice, bob] = await Promise.all([
      register(nodeA.url, 'alice'),
      register(nodeB.url, 'bob'),
    ]);
    const aOnA = await TestSocket.authed(nodeA.url, alice.token); // the sender
    const aOnB = await TestSocket.authed(nodeB.url, alice.token);
    const bOnB = await TestSocket.authed(nodeB.url, bob.token);
    const bOnA = await TestSocket.authed(nodeA.url, bob.token);
    const open = await aOnA.request({ type: 'open', username: bob.username });
    if (open.type !== 'opened') throw new Error(JSON.stringify(open));
    const { room } = open;
    const ack = await aOnA.request({
      type: 'send',
      room,
      text: 'take it back',
      clientMsgId: randomUUID(),
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    const { seq } = ack.message;
    await bOnB.next((f) => f.type === 'message' && f.message.seq === seq);

    expect(await aOnA.request({ type: 'unsend', room, seq })).toMatchObject({
      type: 'unsent',
      seq,
    });
    for (const socket of [aOnA, aOnB, bOnB, bOnA]) {
      expect(await socket.next(unsentEvent(room, seq))).toEqual({ type: 'unsent', room, seq });
    }
    for (const [socket, url] of [
      [bOnB, nodeB.url],
      [aOnB, nodeB.url],
      [bOnA, nodeA.url],
    ] as const) {
      const resumed = await socket.request({ type: 'resume', room, after: 0 });
      expect(resumed, url).toMatchObject({ type: 'resumed', messages: [] });
    }
    const opened = await bOnB.request({ type: 'open', username: alice.username });
    expect(opened).toMatchObject({ type: 'opened', messages: [], unread: 0, unseenExpired: 0 });
    await Promise.all([aOnA.close(), aOnB.close(), bOnB.close(), bOnA.close()]);
  });
});
