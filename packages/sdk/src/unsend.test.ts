import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connected, message, room } from '../test/helpers/scripted-client.js';

/** One of the user's own messages (the user is u1). */
const own = (seq: number) => ({ ...message(seq), from: 'u1' });

describe('unsend on a scripted server', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("drops the peer's unsent message at once, reports it once, and never serves it again", async () => {
    const { client, chat, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'message', message: message(2) });
    expect(chat.unread).toBe(1);
    const events: string[] = [];
    client.on('unsent', (e) => events.push(`client ${e.room} ${e.seq}`));
    chat.on('unsent', (e) => events.push(`chat ${e.seq} unread ${chat.unread}`));
    chat.on('expired', (m) => events.push(`expired ${m.seq}`));
    client.on('message', (m) => events.push(`message ${m.seq}`));

    socket().push({ type: 'unsent', room, seq: 2 });
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    expect(events).toEqual([`client ${room} 2`, 'chat 2 unread 0']);
    // The same event again (another device's copy) reports nothing more.
    socket().push({ type: 'unsent', room, seq: 2 });
    // A late copy (a resume that raced the unsend) is dropped, live or in a page.
    socket().push({ type: 'message', message: message(2) });
    const paging = chat.history({ before: 3 });
    const history = socket().last('history');
    socket().push({
      type: 'history',
      id: history.id,
      room,
      messages: [message(2)],
      hasMore: false,
    });
    expect((await paging).messages).toEqual([]);
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    // Its expiry passes silently: it is gone already.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events).toEqual([`client ${room} 2`, 'chat 2 unread 0', 'expired 1']);
    client.disconnect();
  });

  it('drops a held message that a newer page of the chat leaves out (an unsent event it missed)', async () => {
    const { client, chat, socket } = await connected({ autoDelivered: false });
    for (const seq of [2, 3]) socket().push({ type: 'message', message: message(seq) });
    const opening = client.open('bob');
    socket().push({
      type: 'opened',
      id: socket().last('open').id,
      room,
      peer: chat.peer,
      messages: [message(1), message(3)],
      hasMore: false,
      unread: 1,
      peerReadSeq: 0,
      peerDeliveredSeq: 0,
      unseenExpired: 0,
      settings: {},
    });
    await opening;
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 3]);
    socket().push({ type: 'message', message: message(2) });
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 3]);
    client.disconnect();
  });

  it('drops a message whose unsent event came before it, without waiting on the gap', async () => {
    const { client, chat, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'unsent', room, seq: 2 });
    socket().push({ type: 'message', message: message(2) });
    socket().push({ type: 'message', message: message(3) });
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 3]);
    // Seq 2 counts as received: no resume for the hole it left.
    expect(socket().sent.filter((f) => f.type === 'resume')).toEqual([]);
    client.disconnect();
  });

  it("unsends the user's own message: the frame, then gone from messages() on the reply", async () => {
    const { client, chat, socket } = await connected({ autoDelivered: false });
    socket().push({ type: 'message', message: own(2) });
    const events: number[] = [];
    chat.on('unsent', (e) => events.push(e.seq));
    const done = chat.unsend(2);
    const frame = socket().last('unsend');
    expect(frame).toEqual({ type: 'unsend', id: frame.id, room, seq: 2 });
    expect(chat.messages().map((m) => m.seq)).toEqual([1, 2]);
    socket().push({ type: 'unsent', id: frame.id, room, seq: 2 });
    await done;
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    // The event that follows the reply reports nothing more.
    socket().push({ type: 'unsent', room, seq: 2 });
    expect(events).toEqual([2]);
    expect(chat.unread).toBe(0);

    const refused = chat.unsend(1);
    socket().push({
      type: 'error',
      id: socket().last('unsend').id,
      error: { code: 'forbidden', message: 'Only its sender can unsend a message.' },
    });
    await expect(refused).rejects.toMatchObject({ code: 'forbidden' });
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);

    // Unsent from another device while this one was away: not_found, and the held copy goes.
    socket().push({ type: 'message', message: own(4) });
    const stale = chat.unsend(4);
    socket().push({
      type: 'error',
      id: socket().last('unsend').id,
      error: { code: 'not_found', message: 'No live message has that seq.' },
    });
    await expect(stale).rejects.toMatchObject({ code: 'not_found' });
    expect(chat.messages().map((m) => m.seq)).toEqual([1]);
    expect(events).toEqual([2, 4]);
    client.disconnect();
  });
});
