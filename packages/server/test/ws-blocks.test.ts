import { blockedMessage, type ServerFrame } from '@ephemeral-chat/protocol';
import { TestSocket, type TestUser } from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCode } from './helpers/groups.js';
import { type Person, serverSetups, usePeopleServer } from './helpers/people.js';

// Blocking over real sockets on both engines (and PostgreSQL): each frame, outsiders, bad input,
// every effect in both directions, unblock, and a block racing a burst of sends.

const room = (a: string, b: string) => (a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`);

describe.each(serverSetups)('blocking with $name', (setup) => {
  const env = { WS_FRAME_BURST: '2000', WS_FRAME_RATE: '1000', WS_SEND_BURST: '500' };
  const ctx = usePeopleServer(setup, env, 'bl');
  const { keep } = ctx;
  const person = async (): Promise<Person> => {
    const [p] = await ctx.people(1);
    if (!p) throw new Error('people');
    return p;
  };

  async function expectOk(s: TestSocket, frame: Record<string, unknown>, type: string) {
    const reply = await s.request(frame);
    expect(reply.type, JSON.stringify(reply)).toBe(type);
    return reply;
  }

  const search = async (user: TestUser, other: TestUser) => {
    const res = await ctx.server.api(`/api/users/search?q=${other.username}`, {
      token: user.token,
    });
    expect(res.status).toBe(200);
    return (res.body.users as { id: string }[]).some((u) => u.id === other.id);
  };

  it('answers every block frame with auth_required before authentication', async () => {
    const s = keep(await TestSocket.connect(ctx.server.url));
    for (const frame of [
      { type: 'block', userId: 'u' },
      { type: 'unblock', userId: 'u' },
      { type: 'blocks' },
    ]) {
      expect(await errorCode(s, frame), frame.type).toBe('auth_required');
    }
  });

  it('refuses oneself, unknown users and malformed frames, and keeps serving', async () => {
    const a = await person();
    expect(await errorCode(a.s, { type: 'block', userId: a.user.id })).toBe('validation_failed');
    expect(await errorCode(a.s, { type: 'unblock', userId: a.user.id })).toBe('validation_failed');
    expect(await errorCode(a.s, { type: 'block', userId: 'no-such-user' })).toBe('user_not_found');
    for (const bad of [
      { type: 'block' },
      { type: 'block', userId: '' },
      { type: 'block', userId: 'x'.repeat(65) },
      { type: 'block', userId: 7 },
      { type: 'unblock', userId: null },
      { type: 'blocks', extra: 1 },
    ]) {
      expect(await errorCode(a.s, bad), JSON.stringify(bad)).toBe('validation_failed');
    }
    // Unblocking someone never blocked is no error.
    await expectOk(a.s, { type: 'unblock', userId: 'no-such-user' }, 'unblocked');
    await expectOk(a.s, { type: 'ping' }, 'pong');
  });

  it('blocks idempotently and lists my blocks (not those of me)', async () => {
    const [a, b, c] = [await person(), await person(), await person()];
    expect(await a.s.request({ type: 'block', userId: b.user.id })).toMatchObject({
      type: 'blocked',
      userId: b.user.id,
    });
    await expectOk(a.s, { type: 'block', userId: b.user.id }, 'blocked');
    await expectOk(c.s, { type: 'block', userId: a.user.id }, 'blocked');
    const list = await a.s.request({ type: 'blocks' });
    expect(list).toMatchObject({
      type: 'blocks',
      users: [{ id: b.user.id, username: b.user.username }],
    });
    expect(await b.s.request({ type: 'blocks' })).toMatchObject({ users: [] });
  });

  it.each(['blocker', 'blocked'] as const)(
    'refuses open, send, settings and typing from the %s side, hides presence and search; unblock restores them',
    async (side) => {
      const [a, b] = [await person(), await person()];
      const r = room(a.user.id, b.user.id);
      // Before: a message, a presence watch of each other.
      await expectOk(a.s, { type: 'open', username: b.user.username }, 'opened');
      await expectOk(a.s, { type: 'send', room: r, text: 'before', clientMsgId: 'm0' }, 'ack');
      await b.s.next((f) => f.type === 'message');
      expect(await b.s.request({ type: 'presence', userIds: [a.user.id] })).toMatchObject({
        online: [a.user.id],
      });

      await expectOk(a.s, { type: 'block', userId: b.user.id }, 'blocked');
      const me = side === 'blocker' ? a : b;
      const other = side === 'blocker' ? b : a;

      const refused = async (frame: Record<string, unknown>) => {
        const reply = await me.s.request(frame);
        expect(reply, JSON.stringify(frame)).toMatchObject({
          type: 'error',
          error: { code: 'blocked', message: blockedMessage },
        });
      };
      await refused({ type: 'open', username: other.user.username });
      await refused({ type: 'send', room: r, text: 'after', clientMsgId: 'm1' });
      await refused({ type: 'send', room: r, text: 'after', ttl: 60_000, clientMsgId: 'm2' });
      await refused({ type: 'settings', room: r, ttl: 60_000 });
      me.s.send({ type: 'typing', room: r, typing: true });
      const typingError = await me.s.next((f) => f.type === 'error' && f.id === undefined);
      expect(typingError).toMatchObject({ error: { code: 'blocked' } });
      // Presence: answered offline, no events when the other comes and goes.
      expect(await me.s.request({ type: 'presence', userIds: [other.user.id] })).toMatchObject({
        online: [],
      });
      const extra = await TestSocket.authed(ctx.server.url, other.user.token);
      await extra.close();
      // Search: neither finds the other.
      expect(await search(me.user, other.user)).toBe(false);
      expect(await search(other.user, me.user)).toBe(false);
      // History stays readable; the chat stays listed, its peer offline.
      const history = await me.s.request({ type: 'history', room: r });
      expect(history).toMatchObject({ type: 'history', messages: [{ text: 'before' }] });
      expect(await me.s.request({ type: 'chats' })).toMatchObject({
        chats: [{ room: r, peer: { id: other.user.id, online: false } }],
      });
      // Nothing from either side got through.
      const leaked = (f: ServerFrame) =>
        (f.type === 'message' && f.message.text !== 'before') ||
        f.type === 'typing' ||
        (f.type === 'presence.changed' && (f.userId === a.user.id || f.userId === b.user.id));
      expect(a.s.frames.filter(leaked)).toEqual([]);
      expect(b.s.frames.filter(leaked)).toEqual([]);

      // Only the blocker can lift it; then everything works again.
      if (side === 'blocked') {
        await expectOk(b.s, { type: 'unblock', userId: a.user.id }, 'unblocked');
        await refused({ type: 'open', username: other.user.username });
      }
      await expectOk(a.s, { type: 'unblock', userId: b.user.id }, 'unblocked');
      await expectOk(me.s, { type: 'open', username: other.user.username }, 'opened');
      await expectOk(me.s, { type: 'send', room: r, text: 'again', clientMsgId: 'm3' }, 'ack');
      expect(
        await other.s.next((f) => f.type === 'message' && f.message.text === 'again'),
      ).toBeTruthy();
      me.s.send({ type: 'typing', room: r, typing: true });
      await other.s.next((f) => f.type === 'typing');
      expect(await me.s.request({ type: 'presence', userIds: [other.user.id] })).toMatchObject({
        online: [other.user.id],
      });
      expect(await search(me.user, other.user)).toBe(true);
      expect(await search(other.user, me.user)).toBe(true);
    },
  );

  it('a block racing a burst of sends: after the blocked reply nothing more is stored or delivered', async () => {
    const [a, b] = [await person(), await person()];
    const r = room(a.user.id, b.user.id);
    const sends = Array.from({ length: 60 }, (_, i) =>
      b.s.request({ type: 'send', room: r, text: `m${i}`, clientMsgId: `c${i}` }),
    );
    const blocked = a.s.request({ type: 'block', userId: b.user.id });
    const more = Array.from({ length: 20 }, (_, i) =>
      b.s.request({ type: 'send', room: r, text: `n${i}`, clientMsgId: `d${i}` }),
    );
    expect((await blocked).type).toBe('blocked');
    const deliveredBefore = a.s.frames.filter((f) => f.type === 'message').length;
    // Sent once the reply is out: every one refused — by the block, or by the in-flight bound
    // while the burst above is still pending (WS_MAX_IN_FLIGHT); neither stores anything, and
    // the history check below shows none was stored.
    const after = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        b.s.request({ type: 'send', room: r, text: `z${i}`, clientMsgId: `e${i}` }),
      ),
    );
    const refused = (f: (typeof after)[number]) =>
      f.type === 'error' && (f.error.code === 'blocked' || f.error.code === 'rate_limited');
    expect(after.filter((f) => !refused(f))).toEqual([]);
    const replies = await Promise.all([...sends, ...more]);
    const acked = replies.flatMap((f) => (f.type === 'ack' ? [f.message.text] : []));
    // Not acked: refused by the block, or by the send rate (also stored nothing).
    const codes = new Set(replies.flatMap((f) => (f.type === 'error' ? [f.error.code] : [])));
    expect([...codes].filter((c) => c !== 'blocked' && c !== 'rate_limited')).toEqual([]);
    // Stored = acked, and every stored one reached the blocker before the blocked reply did.
    const history = await a.s.request({ type: 'history', room: r, limit: 100 });
    if (history.type !== 'history') throw new Error(JSON.stringify(history));
    expect(history.messages.map((m) => m.text).sort()).toEqual([...acked].sort());
    expect(deliveredBefore).toBe(acked.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.s.frames.filter((f) => f.type === 'message')).toHaveLength(acked.length);
  });

  it('survives fuzzed block frames and keeps serving', async () => {
    const [a, b] = [await person(), await person()];
    const userId = fc.oneof(
      fc.constantFrom(a.user.id, b.user.id, 'no-such'),
      fc.string({ maxLength: 70 }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('block', 'unblock', 'blocks'), userId, async (type, u) => {
        const reply = await a.s.request({ type, userId: u });
        const ok = ['blocked', 'unblocked', 'blocks'];
        const errors = ['validation_failed', 'user_not_found'];
        expect(
          ok.includes(reply.type) || (reply.type === 'error' && errors.includes(reply.error.code)),
        ).toBe(true);
        // A valid frame between fuzzed ones: ten bad frames in a row close the socket (strikes).
        await expectOk(a.s, { type: 'ping' }, 'pong');
      }),
      { numRuns: 60 },
    );
    await expectOk(a.s, { type: 'ping' }, 'pong');
  });
});
