import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@ephemeral-chat/protocol';
import { registerAt as register, TestSocket } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { useTwoNodes } from './helpers/two-nodes.js';

// Unsend across two server processes on one Redis: the event reaches every connection of both
// members on both nodes, and neither node serves the message afterwards.

const nodes = useTwoNodes();

const unsentEvent = (room: string, seq: number) => (f: ServerFrame) =>
  f.type === 'unsent' && f.id === undefined && f.room === room && f.seq === seq;

describe('unsend across two nodes', () => {
  it('deletes the message for both members on both nodes at once', async () => {
    const [alice, bob] = await Promise.all([
      register(nodes.a.url, 'alice'),
      register(nodes.b.url, 'bob'),
    ]);
    const aOnA = await TestSocket.authed(nodes.a.url, alice.token); // the sender
    const aOnB = await TestSocket.authed(nodes.b.url, alice.token);
    const bOnB = await TestSocket.authed(nodes.b.url, bob.token);
    const bOnA = await TestSocket.authed(nodes.a.url, bob.token);
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
      [bOnB, nodes.b.url],
      [aOnB, nodes.b.url],
      [bOnA, nodes.a.url],
    ] as const) {
      const resumed = await socket.request({ type: 'resume', room, after: 0 });
      expect(resumed, url).toMatchObject({ type: 'resumed', messages: [] });
    }
    const opened = await bOnB.request({ type: 'open', username: alice.username });
    expect(opened).toMatchObject({ type: 'opened', messages: [], unread: 0, unseenExpired: 0 });
    await Promise.all([aOnA.close(), aOnB.close(), bOnB.close(), bOnA.close()]);
  });
});
