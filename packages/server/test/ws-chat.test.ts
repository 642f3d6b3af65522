import { type Message, messageSchema, serverFrameSchema } from '@ephemeral-chat/protocol';
import {
  isMessage,
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('chatting over WebSockets with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let room: string;

  beforeAll(async () => {
    // A burst above the page of 50, so one test can fill a room past a page without waiting.
    server = await startTestServer({ redis, env: { WS_SEND_BURST: '60' } });
    [alice, bob, carol] = await Promise.all([
      registerUser(server, 'alice'),
      registerUser(server, 'bob'),
      registerUser(server, 'carol'),
    ]);
  });
  afterAll(() => server.close());

  it('welcomes an authenticated socket with the server time', async () => {
    const socket = await TestSocket.connect(server.url);
    const before = Date.now();
    const welcome = await socket.request({ type: 'auth', token: alice.token });
    expect(serverFrameSchema.parse(welcome)).toMatchObject({
      type: 'welcome',
      user: { id: alice.id },
    });
    if (welcome.type !== 'welcome') throw new Error();
    expect(welcome.serverTime).toBeGreaterThanOrEqual(before - 5);
    expect(welcome.sessionExpiresAt).toBeGreaterThan(Date.now());
    await socket.close();
  });

  it('delivers a message live to both members on every connection, once', async () => {
    const a1 = await TestSocket.authed(server.url, alice.token);
    const a2 = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const opened = await a1.request({ type: 'open', username: bob.username.toUpperCase() });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    room = opened.room;
    expect(opened.peer).toMatchObject({ id: bob.id, username: bob.username, online: true });

    const before = Date.now();
    const ack = await a1.request({
      type: 'send',
      room,
      text: 'hello <b>bob</b>',
      ttl: 60_000,
      clientMsgId: 'm1',
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    const message = messageSchema.parse(ack.message);
    expect(message).toMatchObject({
      room,
      from: alice.id,
      text: 'hello <b>bob</b>',
      ttl: 60_000,
      clientMsgId: 'm1',
    });
    expect(message.createdAt).toBeGreaterThanOrEqual(before - 5);
    expect(message.expiresAt).toBe(message.createdAt + 60_000);

    for (const socket of [b, a1, a2]) {
      const live = await socket.next(isMessage(room));
      expect(live).toEqual({ type: 'message', message });
    }
    await new Promise((r) => setTimeout(r, 100));
    for (const socket of [a1, a2, b]) expect(socket.frames.filter(isMessage(room))).toHaveLength(0);
    await Promise.all([a1.close(), a2.close(), b.close()]);
  });

  it('uses the default TTL of one hour and returns the first ack on a retry', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    const first = await a.request({ type: 'send', room, text: 'once', clientMsgId: 'retry-1' });
    const again = await a.request({ type: 'send', room, text: 'once', clientMsgId: 'retry-1' });
    if (first.type !== 'ack' || again.type !== 'ack') throw new Error();
    expect(first.message.ttl).toBe(3_600_000);
    expect(again.message).toEqual(first.message);
    await b.next(isMessage(room));
    await new Promise((r) => setTimeout(r, 150));
    expect(b.frames.filter(isMessage(room))).toHaveLength(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('says in opened whether older messages remain beyond its page of 50', async () => {
    const [dora, ed] = await Promise.all([
      registerUser(server, 'dora'),
      registerUser(server, 'ed'),
    ]);
    const d = await TestSocket.authed(server.url, dora.token);
    const first = await d.request({ type: 'open', username: ed.username });
    if (first.type !== 'opened') throw new Error(JSON.stringify(first));
    expect(first.hasMore).toBe(false);
    for (let i = 0; i < 51; i++) {
      const ack = await d.request({
        type: 'send',
        room: first.room,
        text: `m${i}`,
        clientMsgId: `more-${i}`,
      });
      expect(ack.type).toBe('ack');
    }
    const full = await d.request({ type: 'open', username: ed.username });
    if (full.type !== 'opened') throw new Error(JSON.stringify(full));
    expect(full.messages).toHaveLength(50);
    expect(full.messages[0]?.text).toBe('m1');
    expect(full.hasMore).toBe(true);
    await d.close();
  });

  it('pages history, resumes after a seq and lists chats', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const sent: Message[] = [];
    for (let i = 0; i < 5; i++) {
      const ack = await a.request({
        type: 'send',
        room,
        text: `n${i}`,
        ttl: 60_000,
        clientMsgId: `page-${i}`,
      });
      if (ack.type === 'ack') sent.push(ack.message);
    }
    const page = await a.request({ type: 'history', room, limit: 3 });
    if (page.type !== 'history') throw new Error(JSON.stringify(page));
    expect(page.messages.map((m) => m.text)).toEqual(['n2', 'n3', 'n4']);
    expect(page.hasMore).toBe(true);
    const older = await a.request({
      type: 'history',
      room,
      before: page.messages[0]?.seq,
      limit: 100,
    });
    if (older.type !== 'history') throw new Error();
    expect(older.messages.at(-1)?.text).toBe('n1');
    expect(older.hasMore).toBe(false);

    const resumed = await a.request({ type: 'resume', room, after: sent[1]?.seq ?? 0 });
    if (resumed.type !== 'resumed') throw new Error();
    expect(resumed.messages.map((m) => m.text)).toEqual(['n2', 'n3', 'n4']);

    const chats = await a.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error();
    expect(chats.chats[0]).toMatchObject({
      room,
      peer: { id: bob.id, username: bob.username },
      last: { text: 'n4' },
    });
    await a.close();
  });

  it('never lets a third user read, send to, resume or type in the room', async () => {
    const c = await TestSocket.authed(server.url, carol.token);
    const attempts = [
      { type: 'history', room },
      { type: 'resume', room, after: 0 },
      { type: 'send', room, text: 'intrude', clientMsgId: 'x1' },
    ];
    for (const frame of attempts) {
      const reply = await c.request(frame);
      expect(reply, frame.type).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    }
    c.send({ type: 'typing', room, typing: true });
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ error: { code: 'forbidden' } });
    const chats = await c.request({ type: 'chats' });
    expect(chats).toMatchObject({ type: 'chats', chats: [] });
    await c.close();
  });

  it('relays typing to the peer without storing it', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    a.send({ type: 'typing', room, typing: true });
    expect(await b.next((f) => f.type === 'typing')).toEqual({
      type: 'typing',
      room,
      userId: alice.id,
      typing: true,
    });
    await Promise.all([a.close(), b.close()]);
  });

  it('tells a watcher when a user comes online and goes offline', async () => {
    const b = await TestSocket.authed(server.url, bob.token);
    const watch = await b.request({ type: 'presence', userIds: [carol.id] });
    expect(watch).toMatchObject({ type: 'presence', online: [] });
    const c = await TestSocket.authed(server.url, carol.token);
    expect(await b.next((f) => f.type === 'presence.changed')).toEqual({
      type: 'presence.changed',
      userId: carol.id,
      online: true,
    });
    await c.close();
    expect(await b.next((f) => f.type === 'presence.changed')).toEqual({
      type: 'presence.changed',
      userId: carol.id,
      online: false,
    });
    await b.close();
  });

  it('closes a session’s sockets at logout', async () => {
    const login = await server.api('/api/login', {
      body: { username: carol.username, password: 'correct horse battery staple' },
    });
    const socket = await TestSocket.authed(server.url, login.body.token);
    await server.api('/api/logout', { method: 'POST', token: login.body.token });
    expect((await socket.closed).code).toBe(4004);
  });
});
