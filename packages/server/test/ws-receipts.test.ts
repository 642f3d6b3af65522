import { randomUUID } from 'node:crypto';
import type { Message, ServerFrame } from '@ephemeral-chat/protocol';
import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// burn after reading, delivered, settings and the new fields of opened and chats, over real
// sockets on both engines: outsiders, non-members, malformed and fuzzed input, and races.

async function opened(socket: TestSocket, username: string) {
  const reply = await socket.request({ type: 'open', username });
  if (reply.type !== 'opened') throw new Error(JSON.stringify(reply));
  return reply;
}

async function sent(socket: TestSocket, frame: Record<string, unknown>) {
  const ack = await socket.request({
    type: 'send',
    text: 'hi',
    clientMsgId: randomUUID(),
    ...frame,
  });
  if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
  return ack.message;
}

const isEvent = (type: ServerFrame['type'], room: string) => (f: ServerFrame) =>
  f.type === type && !('id' in f && f.id !== undefined) && 'room' in f && f.room === room;

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('receipts, burn and settings with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    server = await startTestServer({
      redis,
      env: { WS_FRAME_BURST: '2000', WS_SEND_BURST: '200', WS_FRAME_RATE: '1000' },
    });
    [alice, bob, carol] = await Promise.all([
      registerUser(server, 'alice'),
      registerUser(server, 'bob'),
      registerUser(server, 'carol'),
    ]);
  });
  afterAll(() => server.close());

  it('starts a burn on the recipient’s read and tells both members, without text', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    const m = await sent(a, { room, ttl: 60_000, burn: 5_000 });
    expect(m.burn).toBe(5_000);
    const before = Date.now();
    await b.request({ type: 'read', room, seq: m.seq });
    const after = Date.now();
    for (const socket of [a, b]) {
      const event = await socket.next(isEvent('expiry', room));
      expect(Object.keys(event).sort()).toEqual(['expiresAt', 'room', 'seq', 'type']);
      if (event.type !== 'expiry') throw new Error('expected expiry');
      expect(event.seq).toBe(m.seq);
      expect(event.expiresAt).toBeGreaterThanOrEqual(before + 5_000);
      expect(event.expiresAt).toBeLessThanOrEqual(after + 5_000);
    }
    const history = await a.request({ type: 'history', room });
    if (history.type !== 'history') throw new Error(JSON.stringify(history));
    expect(history.messages.find((x) => x.seq === m.seq)?.expiresAt).toBeLessThanOrEqual(
      after + 5_000,
    );
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a burn above the ttl or below 5 s with validation_failed', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const { room } = await opened(a, bob.username);
    for (const bad of [
      { ttl: 10_000, burn: 10_001 },
      { burn: 4_999 },
      { burn: 3_600_001 },
      { burn: 5_000.5 },
      { burn: '5000' },
    ]) {
      const reply = await a.request({
        type: 'send',
        room,
        text: 'x',
        clientMsgId: randomUUID(),
        ...bad,
      });
      expect(reply, JSON.stringify(bad)).toMatchObject({ error: { code: 'validation_failed' } });
    }
    await a.close();
  });

  it('sends delivered to the peer only, once per move, and reports it in opened and chats', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b1 = await TestSocket.authed(server.url, bob.token);
    const b2 = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    const m1 = await sent(a, { room });
    const m2 = await sent(a, { room });
    b1.send({ type: 'delivered', room, seq: m1.seq });
    expect(await a.next(isEvent('delivered', room))).toEqual({
      type: 'delivered',
      room,
      userId: bob.id,
      seq: m1.seq,
    });
    b2.send({ type: 'delivered', room, seq: m1.seq }); // no move: no event
    b2.send({ type: 'delivered', room, seq: m2.seq + 50 }); // clamped
    expect(await a.next(isEvent('delivered', room))).toMatchObject({ seq: m2.seq });
    expect(await opened(a, bob.username)).toMatchObject({ peerDeliveredSeq: m2.seq });
    const chats = await a.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error(JSON.stringify(chats));
    expect(chats.chats.find((c) => c.room === room)).toMatchObject({ peerDeliveredSeq: m2.seq });
    await a.request({ type: 'ping' });
    expect(a.frames.filter((f) => f.type === 'delivered')).toEqual([]);
    expect(b1.frames.concat(b2.frames).filter((f) => f.type === 'delivered')).toEqual([]);
    await Promise.all([a.close(), b1.close(), b2.close()]);
  });

  it('answers delivered and settings from a non-member with forbidden, and before auth with auth_required', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const c = await TestSocket.authed(server.url, carol.token);
    const { room } = await opened(a, bob.username);
    const m = await sent(a, { room });
    const before = await opened(a, bob.username);
    c.send({ type: 'delivered', room, seq: m.seq });
    const err = await c.next((f) => f.type === 'error');
    expect(err).toEqual({ type: 'error', error: expect.objectContaining({ code: 'forbidden' }) });
    expect(await c.request({ type: 'settings', room, ttl: 60_000 })).toMatchObject({
      error: { code: 'forbidden' },
    });
    const madeUp = `dm:${alice.id}:zzzzzzzz-0000-4000-8000-000000000000`;
    expect(await a.request({ type: 'settings', room: madeUp, ttl: 60_000 })).toMatchObject({
      error: { code: 'forbidden' },
    });
    const after = await opened(a, bob.username);
    expect(after.peerDeliveredSeq).toBe(before.peerDeliveredSeq);
    expect(after.settings).toEqual(before.settings);

    const outsider = await TestSocket.connect(server.url);
    outsider.send({ type: 'delivered', room, seq: m.seq });
    expect(await outsider.next((f) => f.type === 'error')).toMatchObject({
      error: { code: 'auth_required' },
    });
    expect(await outsider.request({ type: 'settings', room, ttl: 60_000 })).toMatchObject({
      error: { code: 'auth_required' },
    });
    await Promise.all([a.close(), c.close(), outsider.close()]);
  });

  it('applies the chat settings to sends that leave ttl out, tells both members, and shows them in opened', async () => {
    const [dave, erin] = await Promise.all([
      registerUser(server, 'dave'),
      registerUser(server, 'erin'),
    ]);
    const d = await TestSocket.authed(server.url, dave.token);
    const e = await TestSocket.authed(server.url, erin.token);
    const { room } = await opened(d, erin.username);
    const reply = await d.request({ type: 'settings', room, ttl: 300_000, burn: 10_000 });
    expect(reply).toMatchObject({
      type: 'settings',
      room,
      settings: { ttl: 300_000, burn: 10_000 },
      by: dave.id,
      at: expect.any(Number),
    });
    for (const socket of [d, e]) {
      expect(await socket.next(isEvent('settings', room))).toMatchObject({
        settings: { ttl: 300_000, burn: 10_000 },
        by: dave.id,
      });
    }
    expect(await opened(e, dave.username)).toMatchObject({
      settings: { ttl: 300_000, burn: 10_000 },
    });
    expect(await sent(e, { room })).toMatchObject({ ttl: 300_000, burn: 10_000 });
    expect(await sent(e, { room, burn: 5_000 })).toMatchObject({ ttl: 300_000, burn: 5_000 });
    const explicit = await sent(e, { room, ttl: 60_000 });
    expect(explicit.ttl).toBe(60_000);
    expect(explicit.burn).toBeUndefined();
    // A burn above the chat ttl, and a ttl below the chat burn, are refused.
    expect(await e.request({ type: 'settings', room, burn: 600_000 })).toMatchObject({
      error: { code: 'validation_failed' },
    });
    expect(await e.request({ type: 'settings', room, burn: 60_000 })).toMatchObject({
      settings: { ttl: 300_000, burn: 60_000 },
    });
    expect(await e.request({ type: 'settings', room, ttl: 30_000 })).toMatchObject({
      error: { code: 'validation_failed' },
    });
    expect(await e.request({ type: 'settings', room, burn: null })).toMatchObject({
      settings: { ttl: 300_000 },
    });
    const plain = await sent(d, { room });
    expect(plain.ttl).toBe(300_000);
    expect(plain.burn).toBeUndefined();
    await Promise.all([d.close(), e.close()]);
  });

  it('answers fuzzed delivered and settings frames with a reply, nothing or validation_failed, and keeps serving', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const { room } = await opened(a, bob.username);
    const value = fc.oneof(
      fc.integer({ min: -10, max: 2 ** 53 }),
      fc.double(),
      fc.string({ maxLength: 20 }),
      fc.constant(null),
      fc.boolean(),
      fc.constantFrom(room, 5_000, 10_000, 60_000, 86_400_000),
    );
    const frame = fc.oneof(
      fc.record(
        { type: fc.constant('delivered'), room: fc.oneof(fc.constant(room), value), seq: value },
        { requiredKeys: ['type'] },
      ),
      fc.record(
        {
          type: fc.constant('settings'),
          room: fc.oneof(fc.constant(room), value),
          ttl: value,
          burn: value,
          extra: value,
        },
        { requiredKeys: ['type'] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (f) => {
        if (f.type === 'delivered') {
          a.send(f);
          const pong = await a.request({ type: 'ping' });
          expect(pong.type).toBe('pong');
          return;
        }
        const reply = await a.request(f);
        if (reply.type === 'error') {
          expect(['validation_failed', 'forbidden']).toContain(reply.error.code);
        } else {
          expect(reply).toMatchObject({ type: 'settings', room });
        }
        // A valid frame between fuzzed ones: ten bad frames in a row close the socket (strikes).
        expect((await a.request({ type: 'ping' })).type).toBe('pong');
      }),
      { numRuns: 150 },
    );
    for (const f of a.frames) {
      if (f.type === 'error') expect(['validation_failed', 'forbidden']).toContain(f.error.code);
    }
    expect(await a.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await a.request({ type: 'settings', room, ttl: 3_600_000, burn: null });
    await a.close();
  });

  it('starts each burn once when two devices read at once (race)', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b1 = await TestSocket.authed(server.url, bob.token);
    const b2 = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    const burns: Message[] = [];
    for (let i = 0; i < 6; i++) burns.push(await sent(a, { room, ttl: 60_000, burn: 30_000 }));
    const last = burns.at(-1)?.seq ?? 0;
    await Promise.all([
      ...burns.map((m) => b1.request({ type: 'read', room, seq: m.seq })),
      ...burns.map((m) =>
        b2.request({ type: 'read', room, seq: last - (m.seq - (burns[0]?.seq ?? 0)) }),
      ),
    ]);
    await a.request({ type: 'ping' });
    await new Promise((r) => setTimeout(r, 200));
    const expiries = a.frames.filter((f) => f.type === 'expiry' && f.room === room);
    expect(expiries.map((f) => (f.type === 'expiry' ? f.seq : 0)).sort()).toEqual(
      burns.map((m) => m.seq).sort(),
    );
    await Promise.all([a.close(), b1.close(), b2.close()]);
  });

  it('lets a send racing a settings change use either value, never a mix above the ttl (race)', async () => {
    const [fred, gina] = await Promise.all([
      registerUser(server, 'fred'),
      registerUser(server, 'gina'),
    ]);
    const f = await TestSocket.authed(server.url, fred.token);
    const g = await TestSocket.authed(server.url, gina.token);
    const { room } = await opened(f, gina.username);
    await f.request({ type: 'settings', room, ttl: 60_000, burn: 30_000 });
    const [, ...acks] = await Promise.all([
      g.request({ type: 'settings', room, ttl: 600_000, burn: null }),
      ...Array.from({ length: 10 }, () =>
        f.request({ type: 'send', room, text: 'r', clientMsgId: randomUUID() }),
      ),
    ]);
    for (const ack of acks) {
      if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
      const { ttl, burn } = ack.message;
      expect([
        [60_000, 30_000],
        [600_000, undefined],
      ]).toContainEqual([ttl, burn]);
    }
    await Promise.all([f.close(), g.close()]);
  });

  it('ends at the highest of delivered and read when they race (race)', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b1 = await TestSocket.authed(server.url, bob.token);
    const b2 = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    const seqs = [];
    for (let i = 0; i < 8; i++) seqs.push((await sent(a, { room })).seq);
    const last = seqs.at(-1) ?? 0;
    for (const seq of [...seqs].reverse()) b1.send({ type: 'delivered', room, seq });
    await Promise.all(seqs.map((seq) => b2.request({ type: 'read', room, seq })));
    await b1.request({ type: 'ping' });
    const state = await opened(a, bob.username);
    expect(state).toMatchObject({ peerReadSeq: last, peerDeliveredSeq: last });
    await Promise.all([a.close(), b1.close(), b2.close()]);
  });
});
