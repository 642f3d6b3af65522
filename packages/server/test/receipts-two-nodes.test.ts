import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@ephemeral-chat/protocol';
import { registerAt as register, TestSocket } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { useTwoNodes } from './helpers/two-nodes.js';

// Read state, burn after reading and unseen-expired counts across two server processes on one Redis.

const nodes = useTwoNodes();

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
const event = (type: ServerFrame['type'], room: string) => (f: ServerFrame) =>
  f.type === type && !('id' in f && f.id !== undefined) && 'room' in f && f.room === room;

async function opened(socket: TestSocket, username: string) {
  const reply = await socket.request({ type: 'open', username });
  if (reply.type !== 'opened') throw new Error(JSON.stringify(reply));
  return reply;
}

async function sent(socket: TestSocket, frame: Record<string, unknown>) {
  const ack = await socket.request({
    type: 'send',
    text: 'secret',
    clientMsgId: randomUUID(),
    ...frame,
  });
  if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
  return ack.message;
}

describe('receipts across two nodes', () => {
  it('carries reads, burns and unseen-expired counts from one node to the other', async () => {
    const [alice, bob, dave] = await Promise.all([
      register(nodes.b.url, 'alice'),
      register(nodes.a.url, 'bob'),
      register(nodes.a.url, 'dave'),
    ]);
    const a = await TestSocket.authed(nodes.b.url, alice.token); // the sender, on B
    const bOnA = await TestSocket.authed(nodes.a.url, bob.token);
    const bOnB = await TestSocket.authed(nodes.b.url, bob.token);
    const d = await TestSocket.authed(nodes.a.url, dave.token);
    const { room } = await opened(a, bob.username);
    const { room: daveRoom } = await opened(d, bob.username);
    const lost = await sent(d, { room: daveRoom, ttl: 10_000 }); // bob never reads it in time
    const burn = await sent(a, { room, ttl: 60_000, burn: 5_000 });
    const plain = await sent(a, { room, ttl: 60_000 });

    // Delivered on node A reaches the sender on node B.
    bOnA.send({ type: 'delivered', room, seq: plain.seq });
    expect(await a.next(event('delivered', room))).toMatchObject({
      userId: bob.id,
      seq: plain.seq,
    });

    // A read on node A: the reader's other device and the sender (both on B) hear of it.
    const readAt = Date.now();
    expect(await bOnA.request({ type: 'read', room, seq: plain.seq })).toMatchObject({
      seq: plain.seq,
    });
    expect(await bOnB.next(event('read', room))).toMatchObject({ userId: bob.id, seq: plain.seq });
    expect(await a.next(event('read', room))).toMatchObject({ userId: bob.id, seq: plain.seq });
    const expiry = await a.next(event('expiry', room));
    expect(expiry).toEqual({
      type: 'expiry',
      room,
      seq: burn.seq,
      expiresAt: expect.any(Number),
    });
    if (expiry.type !== 'expiry') throw new Error('expected expiry');
    expect(expiry.expiresAt).toBeGreaterThanOrEqual(readAt + 5_000);
    expect(expiry.expiresAt).toBeLessThan(burn.expiresAt);
    expect(await bOnB.next(event('expiry', room))).toMatchObject({ seq: burn.seq });
    const chats = await bOnB.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error(JSON.stringify(chats));
    expect(chats.chats.find((c) => c.room === room)).toMatchObject({ unread: 0 });
    expect(await opened(a, bob.username)).toMatchObject({
      peerReadSeq: plain.seq,
      peerDeliveredSeq: plain.seq,
    });

    // After the new expiresAt, node B serves the burnt message on no path.
    await sleepUntil(expiry.expiresAt + 50);
    for (const socket of [a, bOnB]) {
      const resumed = await socket.request({ type: 'resume', room, after: 0 });
      const history = await socket.request({ type: 'history', room });
      for (const page of [resumed, history]) {
        if (page.type !== 'resumed' && page.type !== 'history')
          throw new Error(JSON.stringify(page));
        expect(page.messages.map((m) => m.seq)).toEqual([plain.seq]);
      }
    }

    // Dave's message expired unread: bob's chat list on B keeps the chat for its count.
    await sleepUntil(lost.expiresAt + 50);
    const later = await bOnB.request({ type: 'chats' });
    if (later.type !== 'chats') throw new Error(JSON.stringify(later));
    const entry = later.chats.find((c) => c.room === daveRoom);
    expect(entry).toMatchObject({ unread: 0, unseenExpired: 1 });
    expect(entry?.last).toBeUndefined();
    expect(await opened(bOnB, dave.username)).toMatchObject({ unseenExpired: 1, messages: [] });
    // Reading the chat on A acknowledges it on every device.
    await bOnA.request({ type: 'read', room: daveRoom, seq: lost.seq });
    expect(await bOnB.next(event('unseen', daveRoom))).toEqual({
      type: 'unseen',
      room: daveRoom,
      unseenExpired: 0,
    });
    expect(await opened(bOnB, dave.username)).toMatchObject({ unseenExpired: 0 });
    await Promise.all([a.close(), bOnA.close(), bOnB.close(), d.close()]);
  }, 30_000);
});
