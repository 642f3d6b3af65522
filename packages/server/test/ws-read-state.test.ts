import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@ephemeral-chat/protocol';
import {
  deleteKeys,
  dropSchema,
  registerUser,
  requirePostgres,
  requireRedis,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
  testDatabaseUrl,
  uniquePrefix,
  uniqueSchemaName,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Sends `n` messages and returns their seqs. */
async function sendMany(socket: TestSocket, room: string, n: number): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) {
    const ack = await socket.request({
      type: 'send',
      room,
      text: `m${i}`,
      clientMsgId: randomUUID(),
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    seqs.push(ack.message.seq);
  }
  return seqs;
}

async function opened(socket: TestSocket, username: string) {
  const reply = await socket.request({ type: 'open', username });
  if (reply.type !== 'opened') throw new Error(JSON.stringify(reply));
  return reply;
}

async function chatEntry(socket: TestSocket, room: string) {
  const reply = await socket.request({ type: 'chats' });
  if (reply.type !== 'chats') throw new Error(JSON.stringify(reply));
  return reply.chats.find((c) => c.room === room);
}

const isReadEvent = (userId: string, seq: number) => (f: ServerFrame) =>
  f.type === 'read' && f.id === undefined && f.userId === userId && f.seq === seq;

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('read state with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ redis, env: { WS_FRAME_BURST: '1000' } });
    [alice, bob, carol] = await Promise.all([
      registerUser(server, 'alice'),
      registerUser(server, 'bob'),
      registerUser(server, 'carol'),
    ]);
  });
  afterAll(() => server.close());

  it('counts unread, moves the read seq only forward, clamps it to the latest and tells every connection', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b1 = await TestSocket.authed(server.url, bob.token);
    const b2 = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    const seqs = await sendMany(a, room, 3);
    const [s1, s2, s3] = seqs as [number, number, number];

    expect(await opened(b1, alice.username)).toMatchObject({ unread: 3, peerReadSeq: s3 });
    expect(await b1.request({ type: 'read', room, seq: s2 })).toEqual({
      type: 'read',
      id: expect.any(Number),
      room,
      userId: bob.id,
      seq: s2,
    });
    // The peer's receipt, the reader's other device, and the reading connection itself.
    for (const socket of [a, b2, b1]) await socket.next(isReadEvent(bob.id, s2));
    expect(await chatEntry(b2, room)).toMatchObject({ unread: 1, peerReadSeq: s3 });
    expect(await opened(a, bob.username)).toMatchObject({ unread: 0, peerReadSeq: s2 });

    // Backwards: accepted, nothing changes, no event.
    expect(await b2.request({ type: 'read', room, seq: s1 })).toMatchObject({ seq: s2 });
    // Beyond the latest: clamped to it.
    expect(await b2.request({ type: 'read', room, seq: s3 + 1_000 })).toMatchObject({ seq: s3 });
    const next = await a.next((f) => f.type === 'read' && f.id === undefined);
    expect(next).toMatchObject({ userId: bob.id, seq: s3 });
    expect(await chatEntry(b1, room)).toMatchObject({ unread: 0 });

    // Replying reads the chat: bob's own message leaves him nothing unread.
    const [s4] = await sendMany(a, room, 1);
    expect(await chatEntry(b1, room)).toMatchObject({ unread: 1 });
    const reply = await b1.request({ type: 'send', room, text: 'ok', clientMsgId: 'r1' });
    if (reply.type !== 'ack') throw new Error(JSON.stringify(reply));
    expect(reply.message.seq).toBeGreaterThan(s4 ?? 0);
    expect(await chatEntry(b1, room)).toMatchObject({ unread: 0 });
    expect(await chatEntry(a, room)).toMatchObject({ unread: 1, peerReadSeq: reply.message.seq });
    await Promise.all([a.close(), b1.close(), b2.close()]);
  });

  it('refuses a room of others and a room with a made-up member as forbidden', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const c = await TestSocket.authed(server.url, carol.token);
    const { room } = await opened(a, bob.username);
    const [seq] = await sendMany(a, room, 1);
    const outsider = await c.request({ type: 'read', room, seq });
    expect(outsider).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    const madeUp = `dm:${alice.id}:zzzzzzzz-0000-4000-8000-000000000000`;
    const nonMember = await a.request({ type: 'read', room: madeUp, seq: 1 });
    expect(nonMember).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    // Nothing moved: bob still has the message unread.
    const b = await TestSocket.authed(server.url, bob.token);
    expect((await chatEntry(b, room))?.unread).toBeGreaterThan(0);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('answers malformed read frames with validation_failed and keeps serving', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const { room } = await opened(a, bob.username);
    const bad = [
      { type: 'read', room, seq: -1 },
      { type: 'read', room, seq: 1.5 },
      { type: 'read', room, seq: '5' },
      { type: 'read', room, seq: 2 ** 60 },
      { type: 'read', room },
      { type: 'read', seq: 1 },
      { type: 'read', room: 'dm:a', seq: 1 },
      { type: 'read', room, seq: 1, extra: true },
      { type: 'read', room: { deep: [[[room]]] }, seq: 1 },
    ];
    for (const frame of bad) {
      const reply = await a.request(frame);
      expect(reply, JSON.stringify(frame)).toMatchObject({
        type: 'error',
        error: { code: 'validation_failed' },
      });
    }
    expect(await a.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await a.close();
  });

  it('ends at the highest seq when two devices of one user read at once (race)', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b1 = await TestSocket.authed(server.url, bob.token);
    const b2 = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    const seqs = await sendMany(a, room, 12);
    // Each device marks every seq in a different order, all at once.
    const shuffled = [...seqs].sort(() => Math.random() - 0.5);
    const replies = await Promise.all([
      ...seqs.map((seq) => b1.request({ type: 'read', room, seq })),
      ...shuffled.map((seq) => b2.request({ type: 'read', room, seq })),
    ]);
    const max = seqs.at(-1) ?? 0;
    for (const r of replies) expect(r.type).toBe('read');
    expect(replies.some((r) => r.type === 'read' && r.seq === max)).toBe(true);
    expect(await b1.request({ type: 'read', room, seq: 0 })).toMatchObject({ seq: max });
    expect(await chatEntry(b2, room)).toMatchObject({ unread: 0 });
    await Promise.all([a.close(), b1.close(), b2.close()]);
  });

  it('keeps the read reply and the chat list small: a read adds a few bytes, whatever the room holds', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    const seqs = await sendMany(a, room, 20);
    const raw: string[] = [];
    b.ws.on('message', (data) => raw.push(String(data)));
    await b.request({ type: 'read', room, seq: seqs.at(-1) ?? 0 });
    const readReply = raw.find((s) => s.includes('"type":"read"') && s.includes('"id"'));
    expect(Buffer.byteLength(readReply ?? '')).toBeLessThan(512);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('read state across two nodes on one Redis', () => {
  const prefix = uniquePrefix();
  const schema = uniqueSchemaName();
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    await Promise.all([requireRedis(), requirePostgres()]);
    const env = {
      REDIS_KEY_PREFIX: prefix,
      DATABASE_URL: testDatabaseUrl,
      DATABASE_SCHEMA: schema,
    };
    // One after the other: the first runs the migrations.
    nodeA = await startTestServer({ redis: true, env });
    nodeB = await startTestServer({ redis: true, env });
  }, 20_000);
  afterAll(async () => {
    await Promise.all([nodeA?.close(), nodeB?.close()]);
    await deleteKeys(prefix);
    await dropSchema(schema);
  });

  it("updates the other node's unread count, the other device and the peer's receipt", async () => {
    const [alice, bob] = await Promise.all([
      registerUser(nodeA, 'alice'),
      registerUser(nodeA, 'bob'),
    ]);
    const a = await TestSocket.authed(nodeB.url, alice.token);
    const bOnA = await TestSocket.authed(nodeA.url, bob.token);
    const bOnB = await TestSocket.authed(nodeB.url, bob.token);
    const { room } = await opened(a, bob.username);
    const [, s2, s3] = (await sendMany(a, room, 3)) as [number, number, number];
    expect(await chatEntry(bOnB, room)).toMatchObject({ unread: 3 });

    expect(await bOnA.request({ type: 'read', room, seq: s2 })).toMatchObject({ seq: s2 });
    await bOnB.next(isReadEvent(bob.id, s2));
    await a.next(isReadEvent(bob.id, s2));
    expect(await chatEntry(bOnB, room)).toMatchObject({ unread: 1, peerReadSeq: s3 });
    expect(await opened(a, bob.username)).toMatchObject({ peerReadSeq: s2 });
    await Promise.all([a.close(), bOnA.close(), bOnB.close()]);
  });
});
