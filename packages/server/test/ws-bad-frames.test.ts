import { closeCodes } from '@ephemeral-chat/protocol';
import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let room: string;
let a: TestSocket;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      WS_AUTH_TIMEOUT_MS: '300',
      WS_SEND_BURST: '3',
      WS_SEND_RATE: '0.5',
      WS_MAX_PAYLOAD_BYTES: '8192',
      ALLOWED_ORIGINS: 'https://shop.example',
    },
  });
  [alice, bob] = await Promise.all([registerUser(server, 'alice'), registerUser(server, 'bob')]);
  a = await TestSocket.authed(server.url, alice.token);
  const opened = await a.request({ type: 'open', username: bob.username });
  if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
  room = opened.room;
});
afterAll(async () => {
  await a.close();
  await server.close();
});

const errorOf = async (socket: TestSocket, raw: unknown) => {
  socket.send(raw);
  return socket.next((f) => f.type === 'error');
};

describe('malformed frames get their documented error and the socket survives', () => {
  it.each([
    ['bad JSON', '{"type":', 'invalid_json'],
    ['a JSON array', '[1,2]', 'validation_failed'],
    ['an unknown type', { type: 'explode', id: 1 }, 'unknown_type'],
    ['a missing type', { id: 1 }, 'unknown_type'],
    ['a wrong id type', { type: 'chats', id: 'one' }, 'validation_failed'],
    [
      'send with a numeric text',
      { type: 'send', id: 2, room: 'dm:a:b', text: 5, clientMsgId: 'x' },
      'validation_failed',
    ],
    [
      'send with a TTL under 10 s',
      { type: 'send', id: 3, room: 'dm:a:b', text: 'hi', ttl: 9_999, clientMsgId: 'x' },
      'validation_failed',
    ],
    [
      'send with a TTL over 24 h',
      { type: 'send', id: 4, room: 'dm:a:b', text: 'hi', ttl: 86_400_001, clientMsgId: 'x' },
      'validation_failed',
    ],
    [
      'send with an extra field',
      { type: 'send', id: 5, room: 'dm:a:b', text: 'hi', clientMsgId: 'x', admin: true },
      'validation_failed',
    ],
    [
      'open with a bad username',
      { type: 'open', id: 6, username: 'no spaces' },
      'validation_failed',
    ],
    [
      'history with a negative seq',
      { type: 'history', id: 7, room: 'dm:a:b', before: -1 },
      'validation_failed',
    ],
    ['resume without after', { type: 'resume', id: 8, room: 'dm:a:b' }, 'validation_failed'],
    [
      'typing with a bad room',
      { type: 'typing', room: 'general', typing: true },
      'validation_failed',
    ],
    [
      'presence with too many users',
      { type: 'presence', id: 9, userIds: Array(201).fill('u') },
      'validation_failed',
    ],
    ['a second auth', { type: 'auth', id: 10, token: 'x' }, 'validation_failed'],
  ])('answers %s', async (_what, raw, code) => {
    const err = await errorOf(a, raw);
    expect(err).toMatchObject({ type: 'error', error: { code } });
    if (typeof raw === 'object' && raw && 'id' in raw && typeof raw.id === 'number')
      expect(err).toMatchObject({ id: raw.id });
    expect(await a.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('answers a binary frame with invalid_json', async () => {
    a.ws.send(Buffer.from([1, 2, 3]));
    expect(await a.next((f) => f.type === 'error')).toMatchObject({
      error: { code: 'invalid_json' },
    });
  });

  it('refuses a message over 4,000 characters with message_too_long', async () => {
    const reply = await a.request({
      type: 'send',
      room,
      text: 'é'.repeat(4001),
      clientMsgId: 'long',
    });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'message_too_long' } });
  });

  it('opens no chat with an unknown user or oneself', async () => {
    expect(await a.request({ type: 'open', username: 'nobody_here_at_all' })).toMatchObject({
      error: { code: 'user_not_found' },
    });
    expect(await a.request({ type: 'open', username: alice.username })).toMatchObject({
      error: { code: 'validation_failed' },
    });
  });

  it('rate-limits sends per connection with retryAfter and keeps the connection', async () => {
    const b = await TestSocket.authed(server.url, bob.token);
    const replies = [];
    for (let i = 0; i < 4; i++)
      replies.push(
        await b.request({ type: 'send', room, text: `r${i}`, clientMsgId: `rate-${i}` }),
      );
    expect(replies.slice(0, 3).every((r) => r.type === 'ack')).toBe(true);
    expect(replies[3]).toMatchObject({ type: 'error', error: { code: 'rate_limited' } });
    const last = replies[3];
    if (last?.type === 'error') expect(last.error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(await b.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await b.close();
  });
});

describe('frames that end the connection', () => {
  it('refuses a frame over the size limit with payload_too_large and keeps the socket', async () => {
    const s = await TestSocket.authed(server.url, alice.token);
    s.send(
      JSON.stringify({ type: 'send', id: 1, room, text: 'x'.repeat(9000), clientMsgId: 'big' }),
    );
    expect(await s.next((f) => f.type === 'error')).toMatchObject({
      error: { code: 'payload_too_large' },
    });
    expect(await s.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await s.close();
  });

  it('drops the connection on a frame over four times the limit', async () => {
    const s = await TestSocket.authed(server.url, alice.token);
    s.send('x'.repeat(8192 * 4 + 1));
    expect((await s.closed).code).toBe(1006);
  });

  it('answers frames before auth with auth_required and closes after the auth timeout', async () => {
    const s = await TestSocket.connect(server.url);
    expect(await s.request({ type: 'chats' })).toMatchObject({ error: { code: 'auth_required' } });
    expect((await s.closed).code).toBe(closeCodes.auth_timeout.code);
  });

  it('closes a socket that presents an unknown token with session_invalid', async () => {
    const s = await TestSocket.connect(server.url);
    expect(await s.request({ type: 'auth', token: 'A'.repeat(43) })).toMatchObject({
      error: { code: 'session_invalid' },
    });
    expect((await s.closed).code).toBe(closeCodes.session_invalid.code);
  });

  it('refuses the upgrade from an origin that is not allowed', async () => {
    await expect(
      TestSocket.connect(server.url, { origin: 'https://evil.example' }),
    ).rejects.toThrow(/403/);
    const ok = await TestSocket.connect(server.url, { origin: 'https://shop.example' });
    await ok.close();
  });

  it('authenticates by the session cookie when the client asks for it with ?auth=cookie', async () => {
    const s = await TestSocket.connect(
      server.url,
      { cookie: `ec_session=${bob.token}`, origin: 'https://shop.example' },
      '?auth=cookie',
    );
    expect(await s.next((f) => f.type === 'welcome')).toMatchObject({
      id: 0,
      user: { id: bob.id },
    });
    await s.close();
  });

  it('ignores a cookie it was not asked to use: the auth frame decides who the socket is', async () => {
    // A token client in a browser that also holds the widget's cookie for this host.
    const s = await TestSocket.connect(server.url, {
      cookie: `ec_session=${bob.token}`,
      origin: 'https://shop.example',
    });
    const welcome = await s.request({ type: 'auth', token: alice.token });
    expect(welcome).toMatchObject({ type: 'welcome', user: { id: alice.id } });
    expect(s.frames.filter((f) => f.type === 'welcome')).toHaveLength(0);
    await s.close();
  });

  it('closes a socket that keeps sending garbage', async () => {
    const s = await TestSocket.authed(server.url, alice.token);
    for (let i = 0; i < 12; i++) s.send('nope');
    expect((await s.closed).code).toBe(closeCodes.protocol_violation.code);
  });

  it('keeps serving others after all of that', async () => {
    expect(
      await a.request({ type: 'send', room, text: 'still here', clientMsgId: 'after' }),
    ).toMatchObject({ type: 'ack' });
    expect((await server.api('/healthz')).status).toBe(200);
  });
});
