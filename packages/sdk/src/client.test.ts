import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeWebSocket } from '../test/helpers/fake-socket.js';
import { connected, message, peer, room } from '../test/helpers/scripted-client.js';
import { createClient } from './client.js';
import type { ChatError } from './errors.js';
import type { ChatMessage } from './message.js';
import { memoryTokenStore } from './token-store.js';

describe('client on a scripted server', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects, authenticates in the first frame and measures the clock offset', async () => {
    const { WebSocket, sockets } = fakeWebSocket();
    const client = createClient({
      url: 'https://chat.test/base/',
      WebSocket,
      tokenStore: memoryTokenStore('tok'),
    });
    const ready = client.connect();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.state).toBe('connecting');
    const s = sockets[0];
    expect(s?.url).toBe('wss://chat.test/base/ws');
    s?.accept();
    expect(s?.sent[0]).toMatchObject({ type: 'auth', token: 'tok' });
    s?.welcome(Date.now() + 3000);
    await ready;
    expect(client.state).toBe('open');
    expect(client.clockOffset).toBe(3000);
    expect(client.serverNow()).toBe(Date.now() + 3000);
    expect(client.user).toEqual({ id: 'u1', username: 'alice' });
    client.disconnect();
  });

  it('ends in unauthorized, without a reconnect loop, when the server refuses the token', async () => {
    const { WebSocket, sockets } = fakeWebSocket();
    const tokens = memoryTokenStore('revoked');
    const client = createClient({ url: 'http://chat.test', WebSocket, tokenStore: tokens });
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    const ready = client.connect();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.accept();
    const auth = sockets[0]?.last('auth');
    sockets[0]?.push({
      type: 'error',
      id: auth?.id ?? 0,
      error: { code: 'session_invalid', message: 'Sign in again.' },
    });
    sockets[0]?.drop(4003);
    await expect(ready).rejects.toMatchObject({ code: 'session_invalid' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sockets).toHaveLength(1);
    expect(states).toEqual(['connecting', 'unauthorized']);
    expect(tokens.get()).toBeUndefined();
    await expect(client.open('bob')).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('reports its own logout as closed, even when the server closes the socket before it answers', async () => {
    const { WebSocket, sockets } = fakeWebSocket();
    let answer: (r: Response) => void = () => {};
    const client = createClient({
      url: 'http://chat.test',
      WebSocket,
      fetch: () => new Promise<Response>((r) => (answer = r)),
      tokenStore: memoryTokenStore('tok'),
    });
    const ready = client.connect();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.accept();
    sockets[0]?.welcome();
    await ready;
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    const out = client.logout();
    await vi.advanceTimersByTimeAsync(0);
    // The server revokes the session and closes its sockets before its 204 reaches the client.
    sockets[0]?.drop(4004);
    answer(new Response(null, { status: 204 }));
    await out;
    expect(states).toEqual(['closed']);
    expect(client.user).toBeUndefined();
  });

  it('knows from open whether older messages remain, until history pages back from the oldest', async () => {
    const { chat, socket } = await connected({ firstSeq: 5, hasMore: true });
    expect(chat.hasMore).toBe(true);
    const paging = chat.history({ before: 5, limit: 2 });
    await vi.advanceTimersByTimeAsync(0);
    const first = socket().last('history');
    socket().push({
      type: 'history',
      id: first.id,
      room,
      messages: [message(3), message(4)],
      hasMore: true,
    });
    await paging;
    expect(chat.hasMore).toBe(true);
    const rest = chat.history();
    await vi.advanceTimersByTimeAsync(0);
    const second = socket().last('history');
    expect(second).toMatchObject({ before: 3 });
    socket().push({
      type: 'history',
      id: second.id,
      room,
      messages: [message(1), message(2)],
      hasMore: false,
    });
    await rest;
    expect(chat.hasMore).toBe(false);
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('goes unauthorized at once when there is no token to present', async () => {
    const { WebSocket, sockets } = fakeWebSocket();
    const client = createClient({ url: 'http://chat.test', WebSocket });
    await expect(client.connect()).rejects.toMatchObject({ code: 'auth_required' });
    expect(client.state).toBe('unauthorized');
    expect(sockets).toHaveLength(0);
  });

  it('reconnects with backoff after a drop and resumes the open chat from its last seq', async () => {
    const { client, states, reconnect } = await connected();
    const s = await reconnect(1001);
    expect(states).toEqual(['connecting', 'open', 'reconnecting']);
    s.welcome();
    expect(states.at(-1)).toBe('open');
    expect(s.last('resume')).toMatchObject({ type: 'resume', room, after: 1 });
    client.disconnect();
  });

  it('retries a send made while reconnecting with the same clientMsgId, and resolves once', async () => {
    const { client, chat, socket, reconnect } = await connected();
    const sending = chat.send('hello', { ttl: 30_000 });
    await vi.advanceTimersByTimeAsync(0);
    const firstTry = socket().last('send');
    const s = await reconnect();
    s.welcome();
    const retry = s.last('send');
    expect(retry.clientMsgId).toBe(firstTry.clientMsgId);
    expect(retry.id).not.toBe(firstTry.id);
    const stored = { ...message(2, 30_000), from: 'u1', text: 'hello' };
    s.push({ type: 'ack', id: retry.id, message: stored });
    const m = await sending;
    expect(m).toMatchObject({ seq: 2, text: 'hello' });
    expect(m.remaining()).toBe(30_000);
    client.disconnect();
  });

  it('drops a queued send whose ttl ran out while offline, with expired, and never sends it', async () => {
    const { client, chat, socket } = await connected();
    socket().drop(1006);
    const sockets: number[] = [];
    client.on('state', () => sockets.push(1));
    const sending = chat.send('too late', { ttl: 10_000 });
    const failed = expect(sending).rejects.toMatchObject({ code: 'expired' });
    // The server stays away for 12 s: every reconnect attempt fails.
    for (let t = 0; t < 12_000; t += 500) {
      await vi.advanceTimersByTimeAsync(500);
      const s = socket();
      if (s.readyState === 0) s.drop(1006);
    }
    await failed;
    await vi.advanceTimersByTimeAsync(2000);
    socket().accept();
    socket().welcome();
    expect(socket().sent.some((f) => f.type === 'send')).toBe(false);
    client.disconnect();
  });

  it('waits out a rate limit and sends again', async () => {
    const { client, chat, socket } = await connected();
    const sending = chat.send('hi');
    await vi.advanceTimersByTimeAsync(0);
    const first = socket().last('send');
    socket().push({
      type: 'error',
      id: first.id,
      error: { code: 'rate_limited', message: 'Slow down', retryAfter: 1 },
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(socket().sent.filter((f) => f.type === 'send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const second = socket().last('send');
    expect(second.clientMsgId).toBe(first.clientMsgId);
    socket().push({ type: 'ack', id: second.id, message: { ...message(2), from: 'u1' } });
    await expect(sending).resolves.toMatchObject({ seq: 2 });
    client.disconnect();
  });

  it('declares a silent connection dead when a heartbeat goes unanswered, and reconnects', async () => {
    const { client, states, sockets } = await connected({ heartbeatIntervalMs: 5000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(sockets[0]?.last('ping')).toBeDefined();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states.at(-1)).toBe('reconnecting');
    expect(sockets[0]?.closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    client.disconnect();
  });

  it('delivers each message once, resumes on a seq gap and raises expired at expiresAt', async () => {
    const { client, chat, socket } = await connected();
    const got: number[] = [];
    const expired: ChatMessage[] = [];
    client.on('message', (m) => got.push(m.seq));
    client.on('expired', (m) => expired.push(m));
    socket().push({ type: 'message', message: message(2, 10_000) });
    socket().push({ type: 'message', message: message(2, 10_000) });
    socket().push({ type: 'message', message: message(5) });
    const resume = socket().last('resume');
    expect(resume).toMatchObject({ room, after: 2 });
    socket().push({
      type: 'resumed',
      id: resume.id,
      room,
      messages: [message(3), message(4), message(5)],
      hasMore: false,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toEqual([2, 5, 3, 4]);
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    await vi.advanceTimersByTimeAsync(9999);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(expired.map((m) => m.seq)).toEqual([2]);
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 3, 4, 5]);
    // A late copy of the expired message is not delivered again.
    socket().push({ type: 'message', message: message(2, 10_000, Date.now() - 10_000) });
    expect(got).toEqual([2, 5, 3, 4]);
    client.disconnect();
  });

  it("emits a chat's own messages and expiries on that chat, after the client's events", async () => {
    const { client, chat, socket } = await connected();
    const order: string[] = [];
    client.on('message', (m) => order.push(`client message ${m.room} ${m.seq}`));
    client.on('expired', (m) => order.push(`client expired ${m.room} ${m.seq}`));
    chat.on('message', (m) => order.push(`chat message ${m.seq}`));
    chat.on('expired', (m) => order.push(`chat expired ${m.seq}`));
    socket().push({ type: 'message', message: message(2, 10_000) });
    socket().push({ type: 'message', message: { ...message(1), room: 'dm:u1:u3' } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(order).toEqual([
      `client message ${room} 2`,
      'chat message 2',
      'client message dm:u1:u3 1',
      `client expired ${room} 2`,
      'chat expired 2',
    ]);
    client.disconnect();
  });

  it('pages resume from the last seq while the server says hasMore, delivering each message once', async () => {
    const { client, chat, reconnect } = await connected();
    const got: number[] = [];
    client.on('message', (m) => got.push(m.seq));
    const s = await reconnect();
    s.welcome();
    const first = s.last('resume');
    expect(first).toMatchObject({ room, after: 1 });
    s.push({
      type: 'resumed',
      id: first.id,
      room,
      messages: [message(2), message(3), message(4)],
      hasMore: true,
    });
    await vi.advanceTimersByTimeAsync(0);
    const second = s.last('resume');
    expect(second).toMatchObject({ room, after: 4 });
    s.push({ type: 'resumed', id: second.id, room, messages: [message(5)], hasMore: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.sent.filter((f) => f.type === 'resume')).toHaveLength(2);
    expect(got).toEqual([2, 3, 4, 5]);
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    client.disconnect();
  });

  it('retries a resume refused as busy after retryAfter, from where it stopped', async () => {
    const { client, chat, reconnect } = await connected();
    const s = await reconnect();
    s.welcome();
    const first = s.last('resume');
    s.push({ type: 'resumed', id: first.id, room, messages: [message(2)], hasMore: true });
    await vi.advanceTimersByTimeAsync(0);
    const refused = s.last('resume');
    expect(refused).toMatchObject({ after: 2 });
    const busy = { code: 'rate_limited', message: 'The server is busy.', retryAfter: 2 } as const;
    s.push({ type: 'error', id: refused.id, error: busy });
    await vi.advanceTimersByTimeAsync(1999);
    expect(s.sent.filter((f) => f.type === 'resume')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    const retry = s.last('resume');
    expect(retry).toMatchObject({ after: 2 });
    expect(retry.id).not.toBe(refused.id);
    s.push({ type: 'resumed', id: retry.id, room, messages: [message(3)], hasMore: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 2, 3]);
    client.disconnect();
  });

  it('rejects a send that fails validation before it reaches the server', async () => {
    const { client, chat, socket } = await connected();
    const errors = await Promise.all([
      chat.send('   ').catch((e: ChatError) => e.code),
      chat.send('x', { ttl: 5 }).catch((e: ChatError) => e.code),
    ]);
    expect(errors).toEqual(['validation_failed', 'validation_failed']);
    expect(socket().sent.some((f) => f.type === 'send')).toBe(false);
    client.disconnect();
  });

  it('keeps unread and the peer read seq from chats, live messages, read events and markRead', async () => {
    const { client, chat, socket } = await connected();
    const s = socket();
    const listing = client.chats();
    const last = message(1);
    s.push({
      type: 'chats',
      id: s.last('chats').id,
      chats: [
        { room, peer, last, unread: 1, peerReadSeq: 0, peerDeliveredSeq: 0, unseenExpired: 0 },
      ],
      hasMore: false,
    });
    expect(await listing).toMatchObject([{ room, unread: 1, peerReadSeq: 0 }]);
    expect([chat.unread, chat.peerReadSeq]).toEqual([1, 0]);

    s.push({ type: 'message', message: message(2) });
    await vi.advanceTimersByTimeAsync(0);
    expect(chat.unread).toBe(2);

    const reads: unknown[] = [];
    client.on('read', (e) => reads.push(e));
    s.push({ type: 'read', room, userId: 'u2', seq: 7 });
    s.push({ type: 'read', room, userId: 'u2', seq: 5 });
    expect(chat.peerReadSeq).toBe(7);
    expect(reads).toHaveLength(2);
    // Another device of the user read up to 1: one held message after it.
    s.push({ type: 'read', room, userId: 'u1', seq: 1 });
    expect(chat.unread).toBe(1);

    const marking = chat.markRead();
    const sent = s.last('read');
    expect(sent).toMatchObject({ type: 'read', room, seq: 2 });
    s.push({ type: 'read', id: sent.id, room, userId: 'u1', seq: 2 });
    expect(await marking).toBe(2);
    expect(chat.unread).toBe(0);
    client.disconnect();
  });
});
