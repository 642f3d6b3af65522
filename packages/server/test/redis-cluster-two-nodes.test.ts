import { randomUUID } from 'node:crypto';
import type { Message, ServerFrame } from '@ephemeral-chat/protocol';
import {
  type RedisCluster,
  registerAt as register,
  startRedisCluster,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterNodes, startClusterNodes } from './helpers/cluster-chat.js';
import { changed, groupReply } from './helpers/groups.js';

// Two server processes on a three-master Redis Cluster of this file's own (REDIS_CLUSTER): 1:1
// and group messages cross from one node to the other over sharded pub/sub, read receipts and
// burn after reading reach the other node, and a reconnecting client resumes what it missed.

let cluster: RedisCluster | undefined;
let nodes: ClusterNodes | undefined;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  nodes = await startClusterNodes(cluster, { REGISTER_MAX_PER_IP: '1000' });
}, 60_000);
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await nodes?.[Symbol.asyncDispose]();
  await cluster?.stop();
});

const node = (which: 'a' | 'b') => {
  if (!nodes) throw new Error('the nodes start in beforeAll');
  return nodes[which];
};
const authed = async (which: 'a' | 'b', token: string) => {
  const s = await TestSocket.authed(node(which).url, token);
  sockets.push(s);
  return s;
};
const event = (type: ServerFrame['type'], room: string) => (f: ServerFrame) =>
  f.type === type && !('id' in f && f.id !== undefined) && 'room' in f && f.room === room;

async function opened(socket: TestSocket, username: string) {
  const reply = await socket.request({ type: 'open', username });
  if (reply.type !== 'opened') throw new Error(JSON.stringify(reply));
  return reply;
}

async function sent(socket: TestSocket, frame: Record<string, unknown>): Promise<Message> {
  const ack = await socket.request({
    type: 'send',
    text: 'hi',
    clientMsgId: randomUUID(),
    ...frame,
  });
  if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
  return ack.message;
}

describe('a two-node chat on a Redis Cluster', () => {
  it('carries 1:1 messages both ways between the nodes, once each', async () => {
    const [alice, bob] = await Promise.all([
      register(node('a').url, 'alice'),
      register(node('b').url, 'bob'),
    ]);
    const a = await authed('a', alice.token);
    const b = await authed('b', bob.token);
    const bOnA = await authed('a', bob.token);
    const { room } = await opened(a, bob.username);
    const all: Message[] = [];
    for (let i = 0; i < 5; i++) {
      all.push(await sent(a, { room, text: `a${i}` }));
      all.push(await sent(b, { room, text: `b${i}` }));
    }
    // Every socket of both members, on either node, gets every message of the room…
    for (const s of [a, b, bOnA]) {
      for (const m of all) {
        expect(await s.next((f) => f.type === 'message' && f.message.seq === m.seq)).toEqual({
          type: 'message',
          message: m,
        });
      }
    }
    // … once: a later message, taken last, leaves no earlier one behind (next() takes what it
    // matches, so a duplicate would be left over).
    const last = await sent(a, { room, text: 'last' });
    for (const s of [a, b, bOnA]) {
      await s.next((f) => f.type === 'message' && f.message.seq === last.seq);
      expect(s.frames.filter((f) => f.type === 'message')).toEqual([]);
    }
    // History from the other node has all ten, in seq order.
    const history = await b.request({ type: 'resume', room, after: 0 });
    if (history.type !== 'resumed') throw new Error(JSON.stringify(history));
    expect(history.messages.map((m) => m.text)).toEqual([
      ...[0, 1, 2, 3, 4].flatMap((i) => [`a${i}`, `b${i}`]),
      'last',
    ]);
  }, 30_000);

  it('carries delivered and read receipts and starts a burn across nodes', async () => {
    const [alice, bob] = await Promise.all([
      register(node('b').url, 'alice'),
      register(node('a').url, 'bob'),
    ]);
    const a = await authed('b', alice.token); // the sender, on B
    const bOnA = await authed('a', bob.token);
    const bOnB = await authed('b', bob.token);
    const { room } = await opened(a, bob.username);
    const burn = await sent(a, { room, ttl: 60_000, burn: 5_000 });
    const plain = await sent(a, { room, ttl: 60_000 });

    bOnA.send({ type: 'delivered', room, seq: plain.seq });
    expect(await a.next(event('delivered', room))).toMatchObject({
      userId: bob.id,
      seq: plain.seq,
    });
    const readAt = Date.now();
    expect(await bOnA.request({ type: 'read', room, seq: plain.seq })).toMatchObject({
      seq: plain.seq,
    });
    expect(await bOnB.next(event('read', room))).toMatchObject({ userId: bob.id, seq: plain.seq });
    expect(await a.next(event('read', room))).toMatchObject({ userId: bob.id, seq: plain.seq });
    const expiry = await a.next(event('expiry', room));
    expect(expiry).toMatchObject({ type: 'expiry', room, seq: burn.seq });
    if (expiry.type !== 'expiry') throw new Error('expected expiry');
    expect(expiry.expiresAt).toBeGreaterThanOrEqual(readAt + 5_000);
    expect(expiry.expiresAt).toBeLessThan(burn.expiresAt);
    expect(await bOnB.next(event('expiry', room))).toMatchObject({ seq: burn.seq });
    expect(await opened(a, bob.username)).toMatchObject({
      peerReadSeq: plain.seq,
      peerDeliveredSeq: plain.seq,
    });
  }, 30_000);

  it('carries group messages and reads to every member socket on both nodes', async () => {
    const [alice, bob, carol] = await Promise.all([
      register(node('a').url, 'alice'),
      register(node('b').url, 'bob'),
      register(node('b').url, 'carol'),
    ]);
    const a = await authed('a', alice.token);
    const b1 = await authed('b', bob.token);
    const b2 = await authed('a', bob.token);
    const c = await authed('b', carol.token);
    const group = await groupReply(a, {
      type: 'group.create',
      name: 'On a cluster',
      usernames: [bob.username, carol.username],
    });
    const room = group.room;
    await Promise.all([changed(b1, room), changed(b2, room), changed(c, room)]);
    const first = await sent(a, { room, text: 'hello group' });
    const second = await sent(c, { room, text: 'from carol' });
    for (const s of [a, b1, b2, c]) {
      for (const m of [first, second]) {
        expect(await s.next((f) => f.type === 'message' && f.message.seq === m.seq)).toEqual({
          type: 'message',
          message: m,
        });
      }
      expect(s.frames.filter((f) => f.type === 'message')).toEqual([]);
    }
    // Bob reads on node B: the senders (alice on A, carol on B) and bob's other socket hear it.
    expect(await b1.request({ type: 'read', room, seq: second.seq })).toMatchObject({
      seq: second.seq,
    });
    for (const s of [a, b2, c]) {
      expect(await s.next(event('read', room))).toMatchObject({ userId: bob.id, seq: second.seq });
    }
  }, 30_000);

  it('carries an unsend to both members on both nodes', async () => {
    const [alice, bob] = await Promise.all([
      register(node('a').url, 'alice'),
      register(node('b').url, 'bob'),
    ]);
    const a = await authed('a', alice.token);
    const aOnB = await authed('b', alice.token);
    const b = await authed('b', bob.token);
    const { room } = await opened(a, bob.username);
    const { seq } = await sent(a, { room, text: 'take it back' });
    await b.next((f) => f.type === 'message' && f.message.seq === seq);
    expect(await a.request({ type: 'unsend', room, seq })).toMatchObject({ type: 'unsent', seq });
    const unsent = (f: ServerFrame) =>
      f.type === 'unsent' && f.id === undefined && f.room === room && f.seq === seq;
    for (const s of [a, aOnB, b]) {
      expect(await s.next(unsent)).toEqual({ type: 'unsent', room, seq });
    }
    const resumed = await b.request({ type: 'resume', room, after: 0 });
    expect(resumed).toMatchObject({ type: 'resumed', messages: [] });
  }, 30_000);

  it('lets a client that was away resume what it missed, from the other node', async () => {
    const [alice, bob] = await Promise.all([
      register(node('a').url, 'alice'),
      register(node('b').url, 'bob'),
    ]);
    const a = await authed('a', alice.token);
    const { room } = await opened(a, bob.username);
    const missed = [];
    for (let i = 0; i < 3; i++) missed.push(await sent(a, { room, text: `while away ${i}` }));
    const b = await authed('b', bob.token);
    const resumed = await b.request({ type: 'resume', room, after: 0 });
    if (resumed.type !== 'resumed') throw new Error(JSON.stringify(resumed));
    expect(resumed.messages).toEqual(missed);
  }, 30_000);
});
