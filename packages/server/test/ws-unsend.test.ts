import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '@ephemeral-chat/protocol';
import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function opened(socket: TestSocket, username: string) {
  const reply = await socket.request({ type: 'open', username });
  if (reply.type !== 'opened') throw new Error(JSON.stringify(reply));
  return reply;
}

async function sent(socket: TestSocket, room: string, over: Record<string, unknown> = {}) {
  const ack = await socket.request({
    type: 'send',
    room,
    text: `secret ${randomUUID()}`,
    clientMsgId: randomUUID(),
    ...over,
  });
  if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
  return ack.message;
}

const unsentEvent = (room: string, seq: number) => (f: ServerFrame) =>
  f.type === 'unsent' && f.id === undefined && f.room === room && f.seq === seq;

/** The seqs every read path serves `socket` for `room` now: open, history, resume, chats' last. */
async function servedSeqs(socket: TestSocket, room: string, username: string): Promise<number[]> {
  const [open, history, resumed, chats] = await Promise.all([
    socket.request({ type: 'open', username }),
    socket.request({ type: 'history', room }),
    socket.request({ type: 'resume', room, after: 0 }),
    socket.request({ type: 'chats' }),
  ]);
  const seqs: number[] = [];
  if (open.type === 'opened') seqs.push(...open.messages.map((m) => m.seq));
  if (history.type === 'history') seqs.push(...history.messages.map((m) => m.seq));
  if (resumed.type === 'resumed') seqs.push(...resumed.messages.map((m) => m.seq));
  if (chats.type === 'chats') {
    const last = chats.chats.find((c) => c.room === room)?.last;
    if (last) seqs.push(last.seq);
  }
  return seqs;
}

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('unsend with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    server = await startTestServer({
      redis,
      env: { WS_FRAME_BURST: '1000', WS_SEND_BURST: '200' },
    });
    [alice, bob, carol] = await Promise.all([
      registerUser(server, 'alice'),
      registerUser(server, 'bob'),
      registerUser(server, 'carol'),
    ]);
  });
  afterAll(() => server.close());

  it('deletes the message for both members at once: reply to the sender, event to every connection, no text', async () => {
    const a1 = await TestSocket.authed(server.url, alice.token);
    const a2 = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a1, bob.username);
    const kept = await sent(a1, room);
    const gone = await sent(a1, room);
    expect(await opened(b, alice.username)).toMatchObject({ unread: 2 });
    const reply = await a1.request({ type: 'unsend', room, seq: gone.seq });
    expect(reply).toEqual({ type: 'unsent', id: expect.any(Number), room, seq: gone.seq });
    const event = { type: 'unsent', room, seq: gone.seq };
    for (const socket of [a1, a2, b]) {
      expect(await socket.next(unsentEvent(room, gone.seq))).toEqual(event);
    }
    expect(await servedSeqs(b, room, alice.username)).toEqual([
      kept.seq,
      kept.seq,
      kept.seq,
      kept.seq,
    ]);
    expect(await servedSeqs(a1, room, bob.username)).not.toContain(gone.seq);
    expect(await opened(b, alice.username)).toMatchObject({ unread: 1, unseenExpired: 0 });
    await Promise.all([a1.close(), a2.close(), b.close()]);
  });

  it('refuses another member (forbidden), a non-member (forbidden), the unauthenticated (auth_required) and a dead seq (not_found)', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const c = await TestSocket.authed(server.url, carol.token);
    const anon = await TestSocket.connect(server.url);
    const { room } = await opened(a, bob.username);
    const m = await sent(a, room);
    const error = (code: string) => ({ type: 'error', id: expect.any(Number), error: { code } });
    expect(await b.request({ type: 'unsend', room, seq: m.seq })).toMatchObject(error('forbidden'));
    expect(await c.request({ type: 'unsend', room, seq: m.seq })).toMatchObject(error('forbidden'));
    const { room: carolRoom } = await opened(c, alice.username);
    expect(await c.request({ type: 'unsend', room: carolRoom, seq: m.seq })).toMatchObject(
      error('not_found'),
    );
    expect(await anon.request({ type: 'unsend', room, seq: m.seq })).toMatchObject(
      error('auth_required'),
    );
    expect(await a.request({ type: 'unsend', room, seq: m.seq + 1 })).toMatchObject(
      error('not_found'),
    );
    expect(await a.request({ type: 'unsend', room, seq: -1 })).toMatchObject(
      error('validation_failed'),
    );
    // None of that touched the message, and nobody got an event.
    expect(await servedSeqs(b, room, alice.username)).toContain(m.seq);
    expect(a.frames.concat(b.frames, c.frames).some((f) => f.type === 'unsent')).toBe(false);
    expect(await a.request({ type: 'unsend', room, seq: m.seq })).toMatchObject({ type: 'unsent' });
    expect(await a.request({ type: 'unsend', room, seq: m.seq })).toMatchObject(error('not_found'));
    expect(await a.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await Promise.all([a.close(), b.close(), c.close(), anon.close()]);
  });

  it('lets the sender unsend across a block (it only takes away): both still get the event', async () => {
    const [dave, erin] = await Promise.all([
      registerUser(server, 'dave'),
      registerUser(server, 'erin'),
    ]);
    const d = await TestSocket.authed(server.url, dave.token);
    const e = await TestSocket.authed(server.url, erin.token);
    const { room } = await opened(d, erin.username);
    const m = await sent(d, room);
    expect(await e.request({ type: 'block', userId: dave.id })).toMatchObject({ type: 'blocked' });
    expect(await d.request({ type: 'unsend', room, seq: m.seq })).toMatchObject({ type: 'unsent' });
    expect(await e.next(unsentEvent(room, m.seq))).toMatchObject({ seq: m.seq });
    const resumed = await e.request({ type: 'resume', room, after: 0 });
    expect(resumed).toMatchObject({ type: 'resumed', messages: [] });
    await Promise.all([d.close(), e.close()]);
  });

  it('races a burning read: whichever lands first, after the unsent reply no read path serves it', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    for (let round = 0; round < 10; round++) {
      const m = await sent(a, room, { ttl: 60_000, burn: 5_000 });
      const [unsent, read] = await Promise.all([
        a.request({ type: 'unsend', room, seq: m.seq }),
        b.request({ type: 'read', room, seq: m.seq }),
      ]);
      // The burn leaves it live for 5 s: the unsend always finds it.
      expect(unsent).toMatchObject({ type: 'unsent', seq: m.seq });
      expect(read).toMatchObject({ type: 'read', seq: m.seq });
      expect(await servedSeqs(b, room, alice.username)).not.toContain(m.seq);
      expect(await servedSeqs(a, room, bob.username)).not.toContain(m.seq);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('races a resume: after the unsent reply no read path serves it, and the reader always gets the event', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const { room } = await opened(a, bob.username);
    // Either order is allowed for the racing resume itself: read before the unsend it serves the
    // message, and its reply may then reach the reader after the event (the SDK's tombstone drops
    // it); read after, it does not. Counted both ways: every round is one of the two.
    const served = { before: 0, after: 0 };
    for (let round = 0; round < 10; round++) {
      const m = await sent(a, room);
      const [unsent, resumed] = await Promise.all([
        a.request({ type: 'unsend', room, seq: m.seq }),
        b.request({ type: 'resume', room, after: m.seq - 1 }),
      ]);
      expect(unsent).toMatchObject({ type: 'unsent', seq: m.seq });
      if (resumed.type !== 'resumed') throw new Error(JSON.stringify(resumed));
      if (resumed.messages.some((x) => x.seq === m.seq)) served.before++;
      else served.after++;
      expect(await b.next(unsentEvent(room, m.seq))).toMatchObject({ seq: m.seq });
      expect(await servedSeqs(b, room, alice.username)).not.toContain(m.seq);
    }
    expect(served.before + served.after).toBe(10);
    await Promise.all([a.close(), b.close()]);
  });
});
