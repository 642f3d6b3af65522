import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connected, message, room } from '../test/helpers/scripted-client.js';
import { reportCopiesMax, reportGraceMs } from './safety.js';

/** A message of the peer's with the server's commitment. */
const signed = (seq: number, ttl = 60_000) => ({ ...message(seq, ttl), mac: `mac${seq}` });

describe('blocking and reporting on a scripted server', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends block, unblock and blocks, and resolves with their replies', async () => {
    const { client, socket } = await connected({ autoDelivered: false });
    const blocking = client.block('u2');
    socket().push({ type: 'blocked', id: socket().last('block').id, userId: 'u2' });
    await blocking;
    expect(socket().last('block')).toMatchObject({ userId: 'u2' });
    const listing = client.blocks();
    const users = [{ id: 'u2', username: 'bob' }];
    socket().push({ type: 'blocks', id: socket().last('blocks').id, users });
    expect(await listing).toEqual(users);
    const unblocking = client.unblock('u2');
    socket().push({ type: 'unblocked', id: socket().last('unblock').id, userId: 'u2' });
    await unblocking;
    client.disconnect();
  });

  it('rejects a send to a blocked user with the neutral blocked error', async () => {
    const { client, chat, socket } = await connected({ autoDelivered: false });
    const sending = chat.send('hello');
    const error = { code: 'blocked' as const, message: "You can't message this user." };
    socket().push({ type: 'error', id: socket().last('send').id, error });
    await expect(sending).rejects.toMatchObject(error);
    client.disconnect();
  });

  it('reports a held message with its copy, and a comment when given', async () => {
    const { client, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'message', message: signed(2) });
    const reporting = client.report({ room, seq: 2 }, 'spam', { comment: 'ads' });
    const frame = socket().last('report');
    expect(frame).toMatchObject({
      room,
      seq: 2,
      reason: 'spam',
      text: 'ads',
      copy: { from: 'u2', text: 'm2', clientMsgId: 'c2', mac: 'mac2' },
    });
    expect(Object.keys(frame.copy as object).sort()).toEqual([
      'clientMsgId',
      'createdAt',
      'from',
      'mac',
      'text',
    ]);
    socket().push({ type: 'reported', id: frame.id, reportId: 'r1' });
    expect(await reporting).toBe('r1');
    client.disconnect();
  });

  it('keeps the copy of an expired message for the grace period only, and never serves it', async () => {
    const { client, chat, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'message', message: signed(2, 10_000) });
    await vi.advanceTimersByTimeAsync(10_000);
    // Gone from every API that shows messages…
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    // …but still reportable, without its text.
    const r = client.reportable(room);
    expect(r).toEqual([
      { room, seq: 1, from: 'u2', createdAt: expect.any(Number), live: true },
      { room, seq: 2, from: 'u2', createdAt: expect.any(Number), live: false },
    ]);
    expect(JSON.stringify(r)).not.toContain('m2');
    client.report({ room, seq: 2 }, 'hate').catch(() => {});
    expect(socket().last('report')).toMatchObject({ seq: 2, copy: { text: 'm2', mac: 'mac2' } });

    // Message 1 (no commitment) expires meanwhile too: nothing is left to report.
    await vi.advanceTimersByTimeAsync(reportGraceMs);
    expect(client.reportable(room)).toEqual([]);
    client.disconnect();
  });

  it('keeps an unsent message reportable for the grace period, counted from the unsend', async () => {
    const { client, chat, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'message', message: signed(2, 3_600_000) });
    socket().push({ type: 'unsent', room, seq: 2 });
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    expect(client.reportable(room).find((x) => x.seq === 2)?.live).toBe(false);
    await vi.advanceTimersByTimeAsync(reportGraceMs - 1000);
    expect(client.reportable(room).map((x) => x.seq)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.reportable(room)).toEqual([]);
    client.disconnect();
  });

  it("keeps no copy of the user's own messages, of ones without a commitment, or past the cap", async () => {
    const { client, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'message', message: { ...signed(2), from: 'u1' } });
    socket().push({ type: 'message', message: message(3) }); // no mac
    for (let seq = 4; seq < 4 + reportCopiesMax + 5; seq++) {
      socket().push({ type: 'message', message: signed(seq, 10_000) });
    }
    await vi.advanceTimersByTimeAsync(60_000);
    const seqs = client.reportable(room).map((x) => x.seq);
    expect(seqs).toHaveLength(reportCopiesMax);
    expect(seqs).not.toContain(2);
    expect(seqs).not.toContain(3);
    expect(seqs).toContain(3 + reportCopiesMax + 5); // the newest stays
    client.disconnect();
  });

  it('forgets every copy at sign-out', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const { client, socket } = await connected({ autoDelivered: false, fetch });
    socket().push({ type: 'message', message: signed(2, 10_000) });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.reportable(room).map((x) => x.seq)).toEqual([1, 2]);
    await client.logout();
    expect(client.reportable(room)).toEqual([]);
  });

  it('deletes the account with the password, then ends like a logout', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(null, { status: 204 });
    });
    const { client, states } = await connected({ autoDelivered: false, fetch });
    await client.deleteAccount('pw');
    expect(calls).toEqual([
      [
        'http://chat.test/api/account/delete',
        expect.objectContaining({ method: 'POST', body: JSON.stringify({ password: 'pw' }) }),
      ],
    ]);
    expect(states.at(-1)).toBe('closed');
    expect(client.user).toBeUndefined();
    expect(await client.options.tokenStore.get()).toBeUndefined();
  });

  it('keeps the session when the password is wrong', async () => {
    const body = { error: { code: 'invalid_credentials', message: 'Wrong password.' } };
    const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status: 401 }));
    const { client } = await connected({ autoDelivered: false, fetch });
    await expect(client.deleteAccount('nope')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(client.state).toBe('open');
    expect(await client.options.tokenStore.get()).toBe('token-1');
    client.disconnect();
  });
});
