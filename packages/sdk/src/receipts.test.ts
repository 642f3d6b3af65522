import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connected, message, peer, room } from '../test/helpers/scripted-client.js';
import type { ChatError } from './errors.js';

const other = 'dm:u1:u3';
/** One of the user's own messages (the user is u1). */
const own = (seq: number, ttl = 60_000) => ({ ...message(seq, ttl), from: 'u1' });

describe('receipts, burn, settings and unseen counts on a scripted server', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports the peer's messages as delivered: one frame per room per window, with the highest seq", async () => {
    const { client, socket } = await connected();
    const delivered = () => socket().sent.filter((f) => f.type === 'delivered');
    await vi.advanceTimersByTimeAsync(100);
    // The opened page counts as received.
    expect(delivered()).toEqual([{ type: 'delivered', room, seq: 1 }]);
    for (const seq of [2, 3, 4]) socket().push({ type: 'message', message: message(seq) });
    socket().push({ type: 'message', message: { ...message(9), room: other, from: 'u3' } });
    socket().push({ type: 'message', message: own(5) });
    expect(delivered()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(delivered().slice(1)).toEqual([
      { type: 'delivered', room, seq: 4 },
      { type: 'delivered', room: other, seq: 9 },
    ]);
    // A resumed copy of what was reported already is not reported again.
    socket().push({ type: 'message', message: message(4) });
    await vi.advanceTimersByTimeAsync(200);
    expect(delivered()).toHaveLength(3);
    client.disconnect();
  });

  it('sends no delivered frames when autoDelivered is off', async () => {
    const { client, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'message', message: message(2) });
    await vi.advanceTimersByTimeAsync(500);
    expect(socket().sent.some((f) => f.type === 'delivered')).toBe(false);
    client.disconnect();
  });

  it('keeps a receipt whose window ends while the socket is down and sends it once reconnected', async () => {
    const { client, socket, reconnect } = await connected({ autoDelivered: true });
    await vi.advanceTimersByTimeAsync(100);
    socket().push({ type: 'message', message: message(2) });
    const before = socket();
    before.drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(before.sent.filter((f) => f.type === 'delivered')).toHaveLength(1);
    const s = await reconnect();
    s.welcome();
    expect(s.sent.filter((f) => f.type === 'delivered')).toEqual([
      { type: 'delivered', room, seq: 2 },
    ]);
    client.disconnect();
  });

  it('moves a held message to the earlier time of an expiry event and drops it then, never later', async () => {
    const { client, chat, socket } = await connected();
    socket().push({ type: 'message', message: { ...message(2), burn: 10_000 } });
    const events: string[] = [];
    client.on('expiry', (e) => events.push(`client expiry ${e.seq}`));
    chat.on('expiry', (e) => events.push(`chat expiry ${e.seq}`));
    chat.on('expired', (m) => events.push(`expired ${m.seq} at ${Date.now()}`));
    const burnsAt = Date.now() + 10_000;
    socket().push({ type: 'expiry', room, seq: 2, expiresAt: burnsAt });
    expect(events).toEqual(['client expiry 2', 'chat expiry 2']);
    expect(chat.messages().find((m) => m.seq === 2)?.expiresAt).toBe(burnsAt);
    expect(
      chat
        .messages()
        .find((m) => m.seq === 2)
        ?.remaining(),
    ).toBe(10_000);
    // A later time is not taken: expiry only ever comes sooner.
    socket().push({ type: 'expiry', room, seq: 2, expiresAt: burnsAt + 30_000 });
    expect(chat.messages().find((m) => m.seq === 2)?.expiresAt).toBe(burnsAt);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1);
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    expect(events.at(-1)).toBe(`expired 2 at ${burnsAt}`);
    // A late live copy with the old time does not bring it back.
    socket().push({ type: 'message', message: { ...message(2, 60_000, burnsAt - 10_000) } });
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    client.disconnect();
  });

  it('takes an earlier expiresAt from a page when the expiry event was missed', async () => {
    const { client, chat, socket } = await connected();
    const soon = Date.now() + 5_000;
    const opening = client.open('bob');
    socket().push({
      type: 'opened',
      id: socket().last('open').id,
      room,
      peer,
      messages: [{ ...message(1), burn: 5_000, expiresAt: soon }],
      hasMore: false,
      unread: 0,
      peerReadSeq: 0,
      peerDeliveredSeq: 0,
      unseenExpired: 0,
      settings: {},
    });
    expect(await opening).toBe(chat);
    expect(chat.messages()[0]?.expiresAt).toBe(soon);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(chat.messages()).toEqual([]);
    client.disconnect();
  });

  it('tells where each own message stands: sending, sent, delivered, seen, expired unseen', async () => {
    const { client, chat, socket } = await connected({
      opened: { messages: [own(1, 10_000), own(2), own(3)], peerDeliveredSeq: 0, peerReadSeq: 0 },
    });
    const [m1, m2, m3] = chat.messages();
    if (!m1 || !m2 || !m3) throw new Error('three messages');
    expect(chat.stateOf({})).toBe('sending');
    expect([m1, m2, m3].map((m) => chat.stateOf(m))).toEqual(['sent', 'sent', 'sent']);
    const seen: string[] = [];
    chat.on('delivered', (e) => seen.push(`delivered ${e.seq}`));
    chat.on('read', (e) => seen.push(`read ${e.seq}`));
    socket().push({ type: 'delivered', room, userId: 'u2', seq: 2 });
    expect(chat.peerDeliveredSeq).toBe(2);
    expect([m1, m2, m3].map((m) => chat.stateOf(m))).toEqual(['delivered', 'delivered', 'sent']);
    // The peer reads up to 2 after message 1 expired unread.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(chat.stateOf(m1)).toBe('expired-unseen');
    socket().push({ type: 'read', room, userId: 'u2', seq: 3 });
    expect([m2, m3].map((m) => chat.stateOf(m))).toEqual(['seen', 'seen']);
    // A read implies delivery.
    expect(chat.peerDeliveredSeq).toBe(3);
    expect(seen).toEqual(['delivered 2', 'read 3']);
    client.disconnect();
  });

  it("counts the peer's messages that expire unread, and takes the server's count", async () => {
    const { client, chat, socket } = await connected({
      opened: { messages: [message(1, 10_000), message(2, 10_000)], unread: 1, unseenExpired: 3 },
    });
    expect([chat.unread, chat.unseenExpired]).toEqual([1, 3]);
    const client$: number[] = [];
    const chat$: number[] = [];
    client.on('unseen', (e) => client$.push(e.unseenExpired));
    chat.on('unseen', (e) => chat$.push(e.unseenExpired));
    // Message 1 was read (unread is 1: only message 2 is not); message 2 expires unread.
    await vi.advanceTimersByTimeAsync(10_000);
    expect([chat.unread, chat.unseenExpired]).toEqual([0, 4]);
    expect(client$).toEqual([4]);
    // The user reads on another device: the server resets the count everywhere.
    socket().push({ type: 'unseen', room, unseenExpired: 0 });
    expect(chat.unseenExpired).toBe(0);
    expect(chat$).toEqual([4, 0]);
    // A room without an open chat is reported by the client alone.
    socket().push({ type: 'unseen', room: other, unseenExpired: 2 });
    expect(client$).toEqual([4, 0, 2]);
    client.disconnect();
  });

  it('sets the chat settings, reports each change once, and sends with them', async () => {
    const { client, chat, socket } = await connected({ opened: { settings: { ttl: 30_000 } } });
    expect(chat.settings).toEqual({ ttl: 30_000 });
    const changes: unknown[] = [];
    client.on('settings', (e) => changes.push(['client', e.settings, e.by]));
    chat.on('settings', (e) => changes.push(['chat', e.settings, e.by]));

    const setting = chat.setSettings({ burn: 10_000 });
    const frame = socket().last('settings');
    expect(frame).toMatchObject({ type: 'settings', room, burn: 10_000 });
    const settings = { ttl: 30_000, burn: 10_000 };
    socket().push({ type: 'settings', id: frame.id, room, settings, by: 'u1', at: Date.now() });
    expect(await setting).toEqual(settings);
    socket().push({ type: 'settings', room, settings, by: 'u1', at: Date.now() });
    expect(changes).toEqual([
      ['client', settings, 'u1'],
      ['chat', settings, 'u1'],
    ]);

    chat.send('burns after reading').catch(() => {});
    expect(socket().last('send')).toMatchObject({ ttl: 30_000, burn: 10_000 });
    chat.send('burns sooner', { ttl: 60_000, burn: 5_000 }).catch(() => {});
    expect(socket().last('send')).toMatchObject({ ttl: 60_000, burn: 5_000 });
    // A ttl of its own: no burn unless it says so.
    chat.send('no burn', { ttl: 60_000 }).catch(() => {});
    expect(socket().last('send')).not.toHaveProperty('burn');

    const off = chat.setSettings({ burn: null });
    expect(socket().last('settings')).toMatchObject({ burn: null });
    socket().push({
      type: 'error',
      id: socket().last('settings').id,
      error: { code: 'validation_failed', message: 'no' },
    });
    await expect(off).rejects.toMatchObject({
      code: 'validation_failed',
    } satisfies Partial<ChatError>);
    expect(chat.settings).toEqual(settings);
    client.disconnect();
  });

  it('lists a chat whose messages all expired for its unseen-expired count, without a last message', async () => {
    const { client, socket } = await connected();
    const listing = client.chats();
    const gone = message(7, 10_000, Date.now() - 20_000);
    const counts = { unread: 0, peerReadSeq: 0, peerDeliveredSeq: 0 };
    socket().push({
      type: 'chats',
      id: socket().last('chats').id,
      chats: [
        { room, peer, ...counts, unseenExpired: 2 },
        // Expired by the client's clock and nothing to report: left out.
        { room: other, peer: { ...peer, id: 'u3' }, last: gone, ...counts, unseenExpired: 0 },
      ],
      hasMore: false,
    });
    const list = await listing;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ room, unseenExpired: 2 });
    expect(list[0]?.last).toBeUndefined();
    client.disconnect();
  });
});
