import { randomUUID } from 'node:crypto';
import type { Message } from '@ephemeral-chat/protocol';
import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, groupReply } from './helpers/groups.js';

// Reports over real sockets on both engines: a live message copied by the server, an expired (here:
// unsent) one only from the reporter's copy when its commitment verifies, outsiders refused,
// repeated and racing reports stored once, and fuzzed report frames.

const ADMIN_TOKEN = 'an-admin-token-of-more-than-thirty-two-characters';

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('reports with $name', ({ redis }) => {
  let server: TestServer;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      redis,
      env: { ADMIN_TOKEN, WS_FRAME_BURST: '2000', WS_FRAME_RATE: '1000' },
    });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  async function person(): Promise<{ user: TestUser; s: TestSocket }> {
    const user = await registerUser(server, 'rp');
    const s = await TestSocket.authed(server.url, user.token);
    sockets.push(s);
    return { user, s };
  }

  /** Two people in a 1:1 room, and a message from `from` to `to` that `to` received. */
  async function exchange(text = `abuse ${randomUUID()}`) {
    const [from, to] = [await person(), await person()];
    const opened = await from.s.request({ type: 'open', username: to.user.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const ack = await from.s.request({
      type: 'send',
      room: opened.room,
      text,
      clientMsgId: randomUUID(),
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    const got = await to.s.next((f) => f.type === 'message' && f.message.room === opened.room);
    if (got.type !== 'message') throw new Error('no message');
    return { from, to, room: opened.room, message: got.message };
  }

  const adminReports = async () => {
    const res = await server.api('/api/admin/reports?status=all&limit=100', { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    return res.body.reports as {
      reportId: string;
      source: string;
      message: Message;
      reporterId: string;
    }[];
  };

  const copyOf = (m: Message) => ({
    from: m.from,
    text: m.text,
    clientMsgId: m.clientMsgId,
    createdAt: m.createdAt,
    mac: m.mac ?? '',
  });

  it('carries the commitment (mac) on every delivered message', async () => {
    const { message } = await exchange();
    expect(message.mac).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('stores a live message reported by its recipient, with reason, comment and the text copied by the server', async () => {
    const { to, room, message } = await exchange();
    const reply = await to.s.request({
      type: 'report',
      room,
      seq: message.seq,
      reason: 'harassment',
      text: 'keeps writing to me',
    });
    expect(reply.type, JSON.stringify(reply)).toBe('reported');
    const reportId = reply.type === 'reported' ? reply.reportId : '';
    const stored = (await adminReports()).find((r) => r.reportId === reportId);
    expect(stored).toMatchObject({
      reporterId: to.user.id,
      reason: 'harassment',
      comment: 'keeps writing to me',
      source: 'live',
      status: 'open',
      message: { room, seq: message.seq, from: message.from, text: message.text },
    });
  });

  it('accepts the genuine copy of a message that is no longer live, and refuses a forged or altered one', async () => {
    const { from, to, room, message } = await exchange();
    const gone = await from.s.request({ type: 'unsend', room, seq: message.seq });
    expect(gone.type).toBe('unsent');
    const base = { type: 'report', room, seq: message.seq, reason: 'hate' };
    expect(await errorCode(to.s, base)).toBe('message_expired');
    const copy = copyOf(message);
    for (const forged of [
      { ...copy, text: `${copy.text}!` },
      { ...copy, from: to.user.id },
      { ...copy, createdAt: copy.createdAt + 1 },
      { ...copy, clientMsgId: 'other' },
      { ...copy, mac: `${copy.mac.slice(0, -2)}AA` },
    ]) {
      expect(await errorCode(to.s, { ...base, copy: forged })).toBe('evidence_rejected');
    }
    // The copy is bound to its room: a member of another room cannot replay it there.
    const reply = await to.s.request({ ...base, copy });
    expect(reply.type, JSON.stringify(reply)).toBe('reported');
    const reportId = reply.type === 'reported' ? reply.reportId : '';
    const stored = (await adminReports()).find((r) => r.reportId === reportId);
    expect(stored).toMatchObject({
      source: 'copy',
      message: { text: message.text, from: from.user.id },
    });
  });

  it('refuses a copy replayed in another room the reporter is in', async () => {
    const { to, message } = await exchange();
    const other = await person();
    const opened = await to.s.request({ type: 'open', username: other.user.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const code = await errorCode(to.s, {
      type: 'report',
      room: opened.room,
      seq: 1,
      reason: 'spam',
      copy: copyOf(message),
    });
    expect(code).toBe('evidence_rejected');
  });

  it('answers an outsider and an unknown room alike with forbidden', async () => {
    const { room, message } = await exchange();
    const outsider = await person();
    const frame = { type: 'report', room, seq: message.seq, reason: 'spam' };
    expect(await errorCode(outsider.s, frame)).toBe('forbidden');
    const unknown = { ...frame, room: `g:${randomUUID()}` };
    const [a, b] = await Promise.all([outsider.s.request(frame), outsider.s.request(unknown)]);
    expect(a.type === 'error' && b.type === 'error' && a.error.message === b.error.message).toBe(
      true,
    );
  });

  it('lets group members report a message sent since they joined, and nobody else', async () => {
    const [a, b, c, late] = [await person(), await person(), await person(), await person()];
    const group = await groupReply(a.s, {
      type: 'group.create',
      name: 'reports',
      usernames: [b.user.username],
    });
    const ack = await a.s.request({
      type: 'send',
      room: group.room,
      text: `group abuse ${randomUUID()}`,
      clientMsgId: randomUUID(),
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    const frame = { type: 'report', room: group.room, seq: ack.message.seq, reason: 'hate' };
    expect((await b.s.request(frame)).type).toBe('reported');
    expect(await errorCode(c.s, frame)).toBe('forbidden');
    await groupReply(a.s, { type: 'group.add', room: group.room, usernames: [late.user.username] });
    expect(await errorCode(late.s, frame)).toBe('forbidden');
  });

  it('refuses a report of your own message', async () => {
    const { from, room, message } = await exchange();
    const frame = { type: 'report', room, seq: message.seq, reason: 'spam' };
    expect(await errorCode(from.s, frame)).toBe('validation_failed');
  });

  it('stores one report when the same message is reported twice at once, and answers both with its id', async () => {
    const { to, room, message } = await exchange();
    const frame = { type: 'report', room, seq: message.seq, reason: 'spam' };
    const replies = await Promise.all([
      to.s.request(frame),
      to.s.request(frame),
      to.s.request(frame),
    ]);
    const ids = new Set(
      replies.map((r) => (r.type === 'reported' ? r.reportId : JSON.stringify(r))),
    );
    expect(ids.size).toBe(1);
    const stored = (await adminReports()).filter((r) => r.message.room === room);
    expect(stored).toHaveLength(1);
  });

  it('refuses a comment over 500 characters and a reason not on the list', async () => {
    const { to, room, message } = await exchange();
    const base = { type: 'report', room, seq: message.seq };
    expect(await errorCode(to.s, { ...base, reason: 'rude' })).toBe('validation_failed');
    expect(await errorCode(to.s, { ...base, reason: 'other', text: '😀'.repeat(501) })).toBe(
      'validation_failed',
    );
    const ok = await to.s.request({ ...base, reason: 'other', text: '😀'.repeat(500) });
    expect(ok.type).toBe('reported');
  });

  it('answers a report before authentication with auth_required', async () => {
    const s = await TestSocket.connect(server.url);
    sockets.push(s);
    const code = await errorCode(s, { type: 'report', room: 'dm:a:b', seq: 1, reason: 'spam' });
    expect(code).toBe('auth_required');
  });

  it('survives fuzzed report frames and keeps serving', async () => {
    const { to, room, message } = await exchange();
    const field = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.jsonValue({ maxDepth: 1 }));
    const frame = fc.record(
      {
        room: field(fc.constantFrom(room, 'dm:a:b', `g:${randomUUID()}`, '')),
        seq: field(fc.constantFrom(message.seq, 0, 1, -1, 2 ** 53)),
        reason: field(fc.constantFrom('spam', 'other', 'nope')),
        text: field(fc.string({ maxLength: 600 })),
        copy: field(
          fc.record({
            from: fc.string({ maxLength: 70 }),
            text: fc.string({ maxLength: 50 }),
            clientMsgId: fc.string({ maxLength: 70 }),
            createdAt: fc.integer(),
            mac: fc.string({ maxLength: 70 }),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    const allowed = [
      'validation_failed',
      'forbidden',
      'message_expired',
      'evidence_rejected',
      'message_too_long',
    ];
    await fc.assert(
      fc.asyncProperty(frame, async (f) => {
        const reply = await to.s.request({ type: 'report', ...f });
        expect(
          reply.type === 'reported' ||
            (reply.type === 'error' && allowed.includes(reply.error.code)),
          JSON.stringify(reply),
        ).toBe(true);
        // A valid frame between fuzzed ones: ten bad frames in a row close the socket.
        expect((await to.s.request({ type: 'ping' })).type).toBe('pong');
      }),
      { numRuns: 60 },
    );
  });
});
