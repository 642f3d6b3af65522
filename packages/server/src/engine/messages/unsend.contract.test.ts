import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories, freshPair, type Pair } from '../../../test/helpers/engines.js';
import { userTopic } from '../../delivery/topics.js';
import type { Engine } from '../engine.js';
import type { AppendFields } from './message-store.js';

// The unsend part of the message seam's contract, on both engines.

describe.each(engineFactories)('Unsend contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  const t0 = Date.now();
  const send = (p: Pair, from: string, over: Partial<AppendFields> = {}) =>
    engine.messages
      .append({
        room: p.room,
        members: p.members,
        from,
        text: `text ${randomUUID()}`,
        ttl: 60_000,
        clientMsgId: randomUUID(),
        now: t0,
        ...over,
      })
      .then((r) => r.message);
  const peerOf = (p: Pair, member: string) => (member === p.a ? p.b : p.a);
  const unsend = (p: Pair, from: string, seq: number, now = t0) =>
    engine.messages.unsend(p.room, from, peerOf(p, from), seq, now);
  const stateOf = async (p: Pair, member: string, now = t0) => {
    const [state] = await engine.messages.readStates(
      member,
      [{ room: p.room, peer: peerOf(p, member) }],
      now,
    );
    return state;
  };
  const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);

  it('removes the message from every read path: history, resume, the chat list', async () => {
    const p = freshPair();
    const m1 = await send(p, p.a);
    const m2 = await send(p, p.a);
    expect(await unsend(p, p.a, m2.seq)).toBe('unsent');
    expect(seqs(await engine.messages.readBefore(p.room, undefined, 50, t0))).toEqual([m1.seq]);
    expect(seqs(await engine.messages.readBefore(p.room, m2.seq + 1, 50, t0))).toEqual([m1.seq]);
    expect(seqs(await engine.messages.readAfter(p.room, 0, 50, t0))).toEqual([m1.seq]);
    expect(seqs(await engine.messages.readAfter(p.room, m1.seq, 50, t0))).toEqual([]);
    expect(await engine.messages.listChats(p.b, 10, t0)).toEqual([m1]);
    expect(await unsend(p, p.a, m1.seq)).toBe('unsent');
    expect((await engine.messages.listChatRows(p.b, 10, t0)).map((r) => r.last)).not.toContain(m1);
    expect(await engine.messages.listChats(p.a, 10, t0)).toEqual([]);
  });

  it('lets only the sender unsend: the other member gets not_sender and the message stays', async () => {
    const p = freshPair();
    const m = await send(p, p.a);
    expect(await unsend(p, p.b, m.seq)).toBe('not_sender');
    expect(seqs(await engine.messages.readAfter(p.room, 0, 50, t0))).toEqual([m.seq]);
  });

  it('answers not_found for a seq never sent, one expired, and one unsent already', async () => {
    const p = freshPair();
    expect(await unsend(p, p.a, 1)).toBe('not_found');
    const short = await send(p, p.a, { ttl: 10_000 });
    const m = await send(p, p.a);
    expect(await unsend(p, p.a, m.seq + 1)).toBe('not_found');
    expect(await unsend(p, p.a, short.seq, t0 + 10_000)).toBe('not_found');
    expect(await unsend(p, p.a, m.seq)).toBe('unsent');
    expect(await unsend(p, p.a, m.seq)).toBe('not_found');
  });

  it('publishes {type, room, seq} to both members, the same bytes on both engines, no text', async () => {
    const p = freshPair();
    const m = await send(p, p.a, { text: 'secret words' });
    const seen: string[] = [];
    const topics = [userTopic(p.a), userTopic(p.b)];
    for (const [i, topic] of topics.entries()) {
      await engine.bus.subscribe(topic, (payload) =>
        seen.push(`${i === 0 ? 'a' : 'b'} ${payload}`),
      );
    }
    await unsend(p, p.a, m.seq);
    // Refused unsends publish nothing.
    await unsend(p, p.a, m.seq);
    await new Promise((r) => setTimeout(r, 50));
    for (const topic of topics) await engine.bus.unsubscribe(topic);
    const event = `{"type":"unsent","room":"${p.room}","seq":${m.seq}}`;
    expect(seen.sort()).toEqual([`a ${event}`, `b ${event}`]);
  });

  it('takes an unread message out of the unread count, and never counts it as expired unseen', async () => {
    const p = freshPair();
    const kept = await send(p, p.a, { ttl: 10_000 });
    const gone = await send(p, p.a, { ttl: 10_000 });
    expect(await stateOf(p, p.b)).toMatchObject({ unread: 2, unseenExpired: 0 });
    expect(await unsend(p, p.a, gone.seq)).toBe('unsent');
    expect(await stateOf(p, p.b)).toMatchObject({ unread: 1, unseenExpired: 0 });
    // Once the kept one expires unread, only it counts as expired unseen.
    expect(await stateOf(p, p.b, t0 + 10_000)).toMatchObject({ unread: 0, unseenExpired: 1 });
    expect(kept.seq).toBeLessThan(gone.seq);
  });

  it('keeps the counts right for a message unsent after it was read, and for one sent back', async () => {
    const p = freshPair();
    const m1 = await send(p, p.a, { ttl: 10_000 });
    await engine.messages.markRead(p.room, p.b, p.a, m1.seq, t0);
    const m2 = await send(p, p.a, { ttl: 10_000 });
    expect(await unsend(p, p.a, m1.seq)).toBe('unsent');
    expect(await stateOf(p, p.b)).toMatchObject({ readSeq: m1.seq, unread: 1, unseenExpired: 0 });
    // The recipient answers (which reads the chat), then the sender unsends what it answered.
    await send(p, p.b, { ttl: 10_000 });
    expect(await unsend(p, p.a, m2.seq)).toBe('unsent');
    expect(await stateOf(p, p.b, t0 + 10_000)).toMatchObject({ unread: 0, unseenExpired: 0 });
    expect(await stateOf(p, p.a, t0 + 10_000)).toMatchObject({ unseenExpired: 1 });
  });

  it('drops a pending burn: a later read burns nothing of it', async () => {
    const p = freshPair();
    const m = await send(p, p.a, { burn: 5_000 });
    const other = await send(p, p.a, { burn: 5_000 });
    expect(await unsend(p, p.a, m.seq)).toBe('unsent');
    const mark = await engine.messages.markRead(p.room, p.b, p.a, other.seq, t0 + 1_000);
    expect(mark.burned).toEqual([{ seq: other.seq, expiresAt: t0 + 6_000 }]);
    expect(seqs(await engine.messages.readAfter(p.room, 0, 50, t0 + 1_000))).toEqual([other.seq]);
  });

  it('lets the sender unsend a burning message, and not one that has burnt', async () => {
    const p = freshPair();
    const a = await send(p, p.a, { burn: 5_000 });
    const b = await send(p, p.a, { burn: 5_000 });
    await engine.messages.markRead(p.room, p.b, p.a, b.seq, t0);
    expect(await unsend(p, p.a, a.seq, t0 + 1_000)).toBe('unsent');
    expect(await unsend(p, p.a, b.seq, t0 + 5_000)).toBe('not_found');
  });
});
