import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories, freshPair, type Pair } from '../../../test/helpers/engines.js';
import { userTopic } from '../../delivery/topics.js';
import type { Engine } from '../engine.js';
import { BURNS_PER_MARK } from './retention.js';

// Burn after reading, delivered marks, chat settings and unseen-expired counts: the rest of the
// message seam's contract, run against both engines.

describe.each(engineFactories)('Receipts contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  const t0 = Date.now();
  const send = (p: Pair, from: string, over: { now?: number; ttl?: number; burn?: number } = {}) =>
    engine.messages.append({
      room: p.room,
      members: p.members,
      from,
      text: 'hi "burn":5000,"expiresAt":1}',
      ttl: over.ttl ?? 60_000,
      burn: over.burn,
      clientMsgId: randomUUID(),
      now: over.now ?? t0,
    });
  const stateOf = async (p: Pair, member: string, now = t0) => {
    const peer = member === p.a ? p.b : p.a;
    const [state] = await engine.messages.readStates(member, [{ room: p.room, peer }], now);
    return state;
  };
  const seqsAfter = async (p: Pair, now: number) =>
    (await engine.messages.readAfter(p.room, 0, 100, now)).messages.map((m) => m.seq);

  describe('burn after reading', () => {
    it('stores burn just before expiresAt, which stays last', async () => {
      const p = freshPair();
      const { json, message } = await send(p, p.a, { burn: 5_000 });
      expect(message.burn).toBe(5_000);
      expect(json.endsWith(`,"burn":5000,"expiresAt":${t0 + 60_000}}`)).toBe(true);
      const { json: plain } = await send(p, p.a);
      expect(plain).not.toContain('"burn":5');
    });

    it("lowers expiresAt to min(expiresAt, readAt + burn) on the recipient's first read, on every read path", async () => {
      const p = freshPair();
      const { message } = await send(p, p.a, { burn: 10_000 });
      const { message: plain } = await send(p, p.a);
      const readAt = t0 + 1_000;
      const mark = await engine.messages.markRead(p.room, p.b, p.a, plain.seq, readAt);
      expect(mark.burned).toEqual([{ seq: message.seq, expiresAt: readAt + 10_000 }]);
      const burnt = { ...message, expiresAt: readAt + 10_000 };
      const before = readAt + 9_999;
      expect((await engine.messages.readAfter(p.room, 0, 10, before)).messages[0]).toEqual(burnt);
      expect((await engine.messages.readBefore(p.room, undefined, 10, before)).messages[0]).toEqual(
        burnt,
      );
      const after = readAt + 10_000;
      expect(await seqsAfter(p, after)).toEqual([plain.seq]);
      expect((await engine.messages.readBefore(p.room, undefined, 10, after)).messages).toEqual([
        plain,
      ]);
      expect((await stateOf(p, p.b, after))?.unread).toBe(0);
      // A second read starts nothing again.
      expect(
        (await engine.messages.markRead(p.room, p.b, p.a, plain.seq, readAt + 2)).burned,
      ).toEqual([]);
    });

    it('never burns on the sender’s own read, and a burn never read expires at its ttl', async () => {
      const p = freshPair();
      const { message } = await send(p, p.a, { burn: 5_000, ttl: 20_000 });
      const mark = await engine.messages.markRead(p.room, p.a, p.b, message.seq, t0 + 1);
      expect(mark.burned).toEqual([]);
      expect(await seqsAfter(p, t0 + 19_999)).toEqual([message.seq]);
      expect(await seqsAfter(p, t0 + 20_000)).toEqual([]);
    });

    it('keeps the ttl as a hard cap: a read late in its life changes nothing', async () => {
      const p = freshPair();
      const { message } = await send(p, p.a, { burn: 10_000, ttl: 15_000 });
      const mark = await engine.messages.markRead(p.room, p.b, p.a, message.seq, t0 + 9_000);
      expect(mark.burned).toEqual([]);
      expect(await seqsAfter(p, t0 + 14_999)).toEqual([message.seq]);
      expect(await seqsAfter(p, t0 + 15_000)).toEqual([]);
    });

    it('starts the burn of a message a reply jumped over at the next read, even one that moves nothing', async () => {
      const p = freshPair();
      const { message } = await send(p, p.a, { burn: 5_000 });
      const { message: reply } = await send(p, p.b, { now: t0 + 1 });
      expect((await stateOf(p, p.b))?.readSeq).toBe(reply.seq);
      const mark = await engine.messages.markRead(p.room, p.b, p.a, message.seq, t0 + 100);
      expect(mark.moved).toBe(false);
      expect(mark.burned).toEqual([{ seq: message.seq, expiresAt: t0 + 5_100 }]);
    });

    it(`starts at most ${BURNS_PER_MARK} burns per mark and says when more wait`, async () => {
      const p = freshPair();
      const n = BURNS_PER_MARK + 3;
      const sends = [];
      for (let i = 0; i < n; i++) sends.push(send(p, p.a, { burn: 5_000 }));
      const last = (await Promise.all(sends)).at(-1)?.message.seq ?? 0;
      const first = await engine.messages.markRead(p.room, p.b, p.a, last + 5, t0 + 1);
      expect(first.burned).toHaveLength(BURNS_PER_MARK);
      expect(first.burnMore).toBe(true);
      const second = await engine.messages.markRead(p.room, p.b, p.a, last, t0 + 2);
      expect(second.burned).toHaveLength(3);
      expect(second.burnMore).toBe(false);
      expect(await seqsAfter(p, t0 + 5_002)).toEqual([]);
    });
  });

  describe('delivered', () => {
    it('moves forward only, clamps to the latest seq, and counts a read as delivered', async () => {
      const p = freshPair();
      const { message: m1 } = await send(p, p.a);
      const { message: m2 } = await send(p, p.a);
      expect(await engine.messages.markDelivered(p.room, p.b, p.a, m1.seq)).toEqual({
        seq: m1.seq,
        moved: true,
      });
      expect(await engine.messages.markDelivered(p.room, p.b, p.a, m1.seq - 1)).toEqual({
        seq: m1.seq,
        moved: false,
      });
      expect(await stateOf(p, p.a)).toMatchObject({ peerDeliveredSeq: m1.seq, peerReadSeq: 0 });
      expect(await engine.messages.markDelivered(p.room, p.b, p.a, m2.seq + 99)).toEqual({
        seq: m2.seq,
        moved: true,
      });
      const { message: m3 } = await send(p, p.a);
      await engine.messages.markRead(p.room, p.b, p.a, m3.seq, t0);
      expect(await stateOf(p, p.a)).toMatchObject({
        peerDeliveredSeq: m3.seq,
        peerReadSeq: m3.seq,
      });
      expect(await engine.messages.markDelivered(p.room, p.b, p.a, m3.seq)).toEqual({
        seq: m3.seq,
        moved: false,
      });
    });

    it('keeps nothing for a room with no message', async () => {
      const p = freshPair();
      expect(await engine.messages.markDelivered(p.room, p.b, p.a, 7)).toEqual({
        seq: 0,
        moved: false,
      });
      expect((await stateOf(p, p.a))?.peerDeliveredSeq).toBe(0);
    });
  });

  describe('settings', () => {
    it('patches ttl and burn, removes burn with null, and refuses a burn above the ttl', async () => {
      const p = freshPair();
      expect(await engine.messages.settings(p.room, t0)).toEqual({});
      expect(await engine.messages.setSettings(p.room, { ttl: 300_000 }, t0)).toEqual({
        ok: true,
        settings: { ttl: 300_000 },
      });
      expect(await engine.messages.setSettings(p.room, { burn: 10_000 }, t0)).toEqual({
        ok: true,
        settings: { ttl: 300_000, burn: 10_000 },
      });
      expect(await engine.messages.setSettings(p.room, { ttl: 10_000 }, t0)).toEqual({
        ok: true,
        settings: { ttl: 10_000, burn: 10_000 },
      });
      expect(await engine.messages.setSettings(p.room, { burn: 30_000 }, t0)).toEqual({
        ok: false,
      });
      expect(await engine.messages.setSettings(p.room, { ttl: 60_000, burn: null }, t0)).toEqual({
        ok: true,
        settings: { ttl: 60_000 },
      });
      expect(await engine.messages.settings(p.room, t0)).toEqual({ ttl: 60_000 });
    });

    it('checks a burn without a ttl against the default ttl', async () => {
      const p = freshPair();
      expect((await engine.messages.setSettings(p.room, { burn: 3_600_000 }, t0)).ok).toBe(true);
      expect((await engine.messages.setSettings(p.room, { burn: 3_600_001 }, t0)).ok).toBe(false);
      expect((await engine.messages.setSettings(p.room, { ttl: 60_000 }, t0)).ok).toBe(false);
    });
  });

  describe('unseen-expired counts', () => {
    it('counts peer messages that expired unread, keeps the chat listed, and a read acknowledges them', async () => {
      const p = freshPair();
      await send(p, p.a, { ttl: 10_000 });
      await send(p, p.a, { ttl: 10_000 });
      const { message: long } = await send(p, p.a, { ttl: 20_000 });
      expect(await stateOf(p, p.b, t0 + 10_000)).toMatchObject({ unread: 1, unseenExpired: 2 });
      expect(await stateOf(p, p.a, t0 + 10_000)).toMatchObject({ unread: 0, unseenExpired: 0 });
      const gone = t0 + 20_000;
      expect(await stateOf(p, p.b, gone)).toMatchObject({ unread: 0, unseenExpired: 3 });
      expect(await engine.messages.listChatRows(p.b, 10, gone)).toEqual([{ room: p.room }]);
      expect(await engine.messages.listChats(p.b, 10, gone)).toEqual([]);
      const mark = await engine.messages.markRead(p.room, p.b, p.a, long.seq, gone);
      expect(mark).toMatchObject({ moved: false, unseenCleared: 3 });
      expect(await stateOf(p, p.b, gone)).toMatchObject({ unseenExpired: 0 });
      expect((await engine.messages.markRead(p.room, p.b, p.a, 0, gone)).unseenCleared).toBe(0);
    });

    it('does not count what was read in time, and a reply settles the rest', async () => {
      const p = freshPair();
      const { message: m1 } = await send(p, p.a, { ttl: 10_000 });
      await send(p, p.a, { ttl: 10_000 });
      await send(p, p.a, { ttl: 30_000 });
      await engine.messages.markRead(p.room, p.b, p.a, m1.seq, t0 + 1);
      // b replies after the second expired: the second counts, the third was read by replying.
      await send(p, p.b, { now: t0 + 10_000, ttl: 60_000 });
      expect(await stateOf(p, p.b, t0 + 40_000)).toMatchObject({ unread: 0, unseenExpired: 1 });
    });
  });

  describe('the events a mark publishes', () => {
    /** Everything published on both members' topics while `run` runs (and a moment after). */
    const published = async (p: Pair, run: () => Promise<unknown>) => {
      const seen: string[] = [];
      const topics = [userTopic(p.a), userTopic(p.b)];
      for (const [i, topic] of topics.entries()) {
        await engine.bus.subscribe(topic, (payload) =>
          seen.push(`${i === 0 ? 'a' : 'b'} ${payload}`),
        );
      }
      await run();
      await new Promise((r) => setTimeout(r, 50));
      for (const topic of topics) await engine.bus.unsubscribe(topic);
      return seen.filter((line) => !line.includes('"type":"message"'));
    };

    it('read to both, expiry to both per burn started, unseen to the reader; no text in any', async () => {
      const p = freshPair();
      await send(p, p.a, { ttl: 10_000 });
      const { message } = await send(p, p.a, { burn: 5_000, ttl: 60_000 });
      const at = t0 + 10_000;
      const room = `"room":"${p.room}"`;
      const events = await published(p, () =>
        engine.messages.markRead(p.room, p.b, p.a, message.seq, at),
      );
      const read = `{"type":"read",${room},"userId":"${p.b}","seq":${message.seq}}`;
      const expiry = `{"type":"expiry",${room},"seq":${message.seq},"expiresAt":${at + 5_000}}`;
      expect(events.sort()).toEqual(
        [
          `a ${read}`,
          `b ${read}`,
          `b {"type":"unseen",${room},"unseenExpired":0}`,
          `a ${expiry}`,
          `b ${expiry}`,
        ].sort(),
      );
      expect(events.join()).not.toContain('hi ');
    });

    it('delivered to the peer only, when it moved; nothing for a mark that changes nothing', async () => {
      const p = freshPair();
      const { message } = await send(p, p.a);
      const first = await published(p, () =>
        engine.messages.markDelivered(p.room, p.b, p.a, message.seq),
      );
      expect(first).toEqual([
        `a {"type":"delivered","room":"${p.room}","userId":"${p.b}","seq":${message.seq}}`,
      ]);
      const again = await published(p, () =>
        Promise.all([
          engine.messages.markDelivered(p.room, p.b, p.a, message.seq),
          engine.messages.markRead(p.room, p.a, p.b, message.seq, t0),
        ]),
      );
      expect(again).toEqual([]);
    });
  });
});
