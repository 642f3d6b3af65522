import type { Socket as NetSocket } from 'node:net';
import { closeCodes, type ServerFrame } from '@ephemeral-chat/protocol';
import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Hostile input against the WebSocket transport (issue 12, items 1, 9, 10, 11): nothing a client
// sends kills the node, a slow reader gets 4008, and limits hold per user across connections.

const engines = [
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
];

const nested = (depth: number, open: string, close: string, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);

const isError = (f: ServerFrame) => f.type === 'error';
const errorCode = (f: ServerFrame) => (f.type === 'error' ? f.error.code : f.type);

/** Opens a room between two users from one of them. */
async function openRoom(s: TestSocket, peer: TestUser): Promise<string> {
  const opened = await s.request({ type: 'open', username: peer.username });
  if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
  return opened.room;
}

describe.each(engines)('hostile frames with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ redis });
    [alice, bob] = await Promise.all([registerUser(server, 'alice'), registerUser(server, 'bob')]);
  });
  afterAll(() => server.close());

  it.each([
    ['a type nested 5,000 arrays deep', `{"type":${nested(5000, '[', ']')}}`],
    ['a type nested 2,500 objects deep', `{"type":${nested(2500, '{"a":', '}')}}`],
    ['an id nested 5,000 arrays deep', `{"type":"ping","id":${nested(5000, '[', ']')}}`],
    ['a frame nested 5,000 arrays deep', nested(5000, '[', ']')],
    ['a type that is a 10,000-character string', JSON.stringify({ type: 'x'.repeat(10_000) })],
    [
      'a field named with 10,000 characters',
      JSON.stringify({ type: 'ping', ['k'.repeat(10_000)]: 1 }),
    ],
  ])('answers %s before auth with a short error and keeps serving', async (_what, raw) => {
    const s = await TestSocket.connect(server.url);
    s.send(raw);
    const err = await s.next(isError);
    expect(['validation_failed', 'invalid_json', 'unknown_type']).toContain(errorCode(err));
    expect(JSON.stringify(err).length).toBeLessThan(2048);
    expect(await s.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await s.close();
  });

  it('answers deep nesting inside a send with validation_failed once authenticated', async () => {
    const s = await TestSocket.authed(server.url, alice.token);
    const room = await openRoom(s, bob);
    s.send(
      `{"type":"send","id":7,"room":"${room}","clientMsgId":"deep","text":${nested(5000, '[', ']')}}`,
    );
    expect(await s.next(isError)).toMatchObject({ id: 7, error: { code: 'validation_failed' } });
    const many = Array.from({ length: 3000 }, (_, i) => i);
    const err = await s.request({ type: 'presence', userIds: many });
    expect(err).toMatchObject({ error: { code: 'validation_failed' } });
    expect(JSON.stringify(err).length).toBeLessThan(4096);
    await s.close();
  });

  it.each([
    ['only zero-width spaces', '\u200B\u200B\u200B'],
    ['joiners and a word joiner', '\u200C\u200D\u2060'],
    ['a byte-order mark and variation selectors', '\uFEFF\uFE0F\uFE0E'],
    ['bidi controls and whitespace', '\u202E \u2066\u2069\u200F\n\t'],
    ['ideographic and no-break spaces', '\u3000\u00A0\u2003'],
  ])('refuses a message made of %s with validation_failed', async (_what, text) => {
    const s = await TestSocket.authed(server.url, alice.token);
    const room = await openRoom(s, bob);
    const reply = await s.request({ type: 'send', room, text, clientMsgId: 'invisible' });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'validation_failed' } });
    const ok = await s.request({ type: 'send', room, text: '\u200Bhi\uFE0F', clientMsgId: 'vis' });
    expect(ok).toMatchObject({ type: 'ack' });
    await s.close();
  });

  it('closes a text frame with invalid UTF-8 and keeps serving others', async () => {
    // uWebSockets.js validates text frames itself and fails the connection at the TCP level
    // (no close frame, so the client sees 1006); nothing reaches our handlers. Documented.
    const s = await TestSocket.connect(server.url);
    s.ws.on('error', () => {});
    s.ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false });
    expect((await s.closed).code).toBe(1006);
    const t = await TestSocket.connect(server.url);
    expect(await t.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await t.close();
  });
});

describe.each(engines)('per-user limits across connections with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await startTestServer({
      redis,
      env: {
        WS_MAX_SOCKETS_PER_USER: '3',
        WS_SEND_RATE: '0.1',
        WS_SEND_BURST: '4',
        WS_MAX_PAYLOAD_BYTES: '1024',
        WS_FRAME_RATE: '0.1',
        WS_FRAME_BURST: '8',
        WS_MAX_IN_FLIGHT: '4',
      },
    });
    [alice, bob] = await Promise.all([registerUser(server, 'alice'), registerUser(server, 'bob')]);
  });
  afterAll(() => server.close());

  it('refuses a socket past the per-user limit with too_many_connections and 4029', async () => {
    const sockets = await Promise.all(
      [1, 2, 3].map(() => TestSocket.authed(server.url, bob.token)),
    );
    const extra = await TestSocket.connect(server.url);
    expect(await extra.request({ type: 'auth', token: bob.token })).toMatchObject({
      type: 'error',
      error: { code: 'too_many_connections' },
    });
    expect((await extra.closed).code).toBe(closeCodes.too_many_connections.code);
    await sockets[0]?.close();
    const again = await TestSocket.authed(server.url, bob.token);
    await Promise.all([again, ...sockets.slice(1)].map((s) => s?.close()));
  });

  it('shares the send rate among all of a user’s sockets', async () => {
    const [a1, a2] = await Promise.all([
      TestSocket.authed(server.url, alice.token),
      TestSocket.authed(server.url, alice.token),
    ]);
    if (!a1 || !a2) throw new Error('no sockets');
    const room = await openRoom(a1, bob);
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      for (const s of [a1, a2])
        codes.push(
          errorCode(
            await s.request({ type: 'send', room, text: 'x', clientMsgId: `s${codes.length}` }),
          ),
        );
    }
    expect(codes.filter((c) => c === 'ack')).toHaveLength(4);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(2);
    await Promise.all([a1.close(), a2.close()]);
  });

  it('counts oversize frames against the frame rate', async () => {
    const s = await TestSocket.connect(server.url);
    for (let i = 0; i < 8; i++) s.send('x'.repeat(2000));
    for (let i = 0; i < 8; i++)
      expect(await s.next(isError)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await s.request({ type: 'ping' })).toMatchObject({ error: { code: 'rate_limited' } });
    await s.close();
  });

  it('counts oversize frames as strikes: too many in a row close with 4009', async () => {
    const s = await TestSocket.connect(server.url);
    for (let i = 0; i < 11; i++) s.send('x'.repeat(2000));
    expect((await s.closed).code).toBe(closeCodes.protocol_violation.code);
  });

  // Only where handlers wait on I/O: the in-memory engine answers within the same turn, so its
  // requests never pile up (nothing to bound).
  it.runIf(redis)('refuses requests past the in-flight limit with rate_limited', async () => {
    const s = await TestSocket.authed(server.url, alice.token);
    // One TCP write: uWS hands every frame over before any handler can finish.
    const socket = (s.ws as unknown as { _socket: NetSocket })._socket;
    socket.cork();
    for (let i = 1; i <= 6; i++) s.send({ type: 'chats', id: 100 + i });
    socket.uncork();
    const replies = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => s.next((f) => 'id' in f && f.id === 100 + i)),
    );
    const codes = replies.map(errorCode);
    expect(codes.filter((c) => c === 'chats')).toHaveLength(4);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(2);
    await s.close();
  });
});

describe.each(engines)('a client that stops reading with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await startTestServer({
      redis,
      env: {
        WS_MAX_BACKPRESSURE_BYTES: String(64 * 1024),
        // uWS gives an ended socket the ping margin of this (16 s) to drain before it drops it.
        WS_IDLE_TIMEOUT_S: '60',
        WS_SEND_RATE: '1000000',
        WS_SEND_BURST: '1000000',
        WS_FRAME_RATE: '1000000',
        WS_FRAME_BURST: '1000000',
        WS_MAX_IN_FLIGHT: '1000',
      },
    });
    [alice, bob] = await Promise.all([registerUser(server, 'alice'), registerUser(server, 'bob')]);
  });
  afterAll(() => server.close());

  it('is closed with 4008 slow_consumer, the close frame after what it had not read', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const room = await openRoom(b, alice);
    const socket = (a.ws as unknown as { _socket: NetSocket })._socket;
    socket.pause();
    // ~12 MB: past the kernel's socket buffers on both sides and the 64 KiB limit.
    const text = 'x'.repeat(4000);
    for (let batch = 0; batch < 12; batch++) {
      const acks = [];
      for (let i = 0; i < 250; i++)
        acks.push(
          b.request({ type: 'send', room, text, clientMsgId: `f${batch}-${i}`, ttl: 10_000 }),
        );
      expect((await Promise.all(acks)).every((r) => r.type === 'ack')).toBe(true);
    }
    socket.resume();
    expect((await a.closed).code).toBe(closeCodes.slow_consumer.code);
    expect(await b.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await b.close();
  }, 30_000);
});
