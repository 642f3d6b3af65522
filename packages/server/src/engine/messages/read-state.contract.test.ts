import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories, freshPair, type Pair } from '../../../test/helpers/engines.js';
import type { Engine } from '../engine.js';

// The read-state part of the message seam's contract (as chats.contract.test.ts is its chat list).

describe.each(engineFactories)('Read state contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  const t0 = Date.now();
  const send = (p: Pair, from: string, now = t0, ttl = 60_000) =>
    engine.messages
      .append({
        room: p.room,
        members: p.members,
        from,
        text: 'hi',
        ttl,
        clientMsgId: randomUUID(),
        now,
      })
      .then((r) => r.message);
  const stateOf = async (p: Pair, member: string, now = t0) => {
    const peer = member === p.a ? p.b : p.a;
    const [state] = await engine.messages.readStates(member, [{ room: p.room, peer }], now);
    return state;
  };

  it('counts the peer messages after the read seq as unread, and a send reads up to itself', async () => {
    const p = freshPair();
    const m1 = await send(p, p.a);
    await send(p, p.b);
    await send(p, p.b);
    expect(await stateOf(p, p.a)).toMatchObject({
      readSeq: m1.seq,
      peerReadSeq: m1.seq + 2,
      unread: 2,
    });
    expect(await stateOf(p, p.b)).toMatchObject({
      readSeq: m1.seq + 2,
      peerReadSeq: m1.seq,
      unread: 0,
    });
    const m4 = await send(p, p.a);
    expect(await stateOf(p, p.a)).toMatchObject({
      readSeq: m4.seq,
      peerReadSeq: m1.seq + 2,
      unread: 0,
    });
    expect((await stateOf(p, p.b))?.unread).toBe(1);
  });

  it('never moves a read seq backwards and clamps one beyond the latest seq', async () => {
    const p = freshPair();
    const m1 = await send(p, p.a);
    await send(p, p.a);
    expect(await engine.messages.markRead(p.room, p.b, p.a, m1.seq, t0)).toMatchObject({
      seq: m1.seq,
      moved: true,
    });
    expect(await engine.messages.markRead(p.room, p.b, p.a, m1.seq - 5, t0)).toMatchObject({
      seq: m1.seq,
      moved: false,
    });
    expect(await engine.messages.markRead(p.room, p.b, p.a, m1.seq + 1_000, t0)).toMatchObject({
      seq: m1.seq + 1,
      moved: true,
    });
    expect(await stateOf(p, p.b)).toMatchObject({
      readSeq: m1.seq + 1,
      peerReadSeq: m1.seq + 1,
      unread: 0,
    });
  });

  it('keeps nothing for a room with no message, and answers zeros', async () => {
    const p = freshPair();
    expect(await engine.messages.markRead(p.room, p.a, p.b, 5, t0)).toMatchObject({
      seq: 0,
      moved: false,
    });
    expect(await stateOf(p, p.a)).toEqual({
      readSeq: 0,
      peerReadSeq: 0,
      peerDeliveredSeq: 0,
      unread: 0,
      unseenExpired: 0,
    });
  });

  it('does not count expired messages as unread', async () => {
    const p = freshPair();
    await send(p, p.a, t0, 10_000);
    await send(p, p.a, t0, 30_000);
    expect((await stateOf(p, p.b, t0 + 9_999))?.unread).toBe(2);
    expect((await stateOf(p, p.b, t0 + 10_000))?.unread).toBe(1);
    expect((await stateOf(p, p.b, t0 + 30_000))?.unread).toBe(0);
  });

  it('answers several rooms in order', async () => {
    const p = freshPair();
    const c = `c${randomUUID().slice(0, 8)}`;
    const pair2 = { a: p.a, b: c, room: `dm:${p.a}:${c}`, members: [p.a, c] as const };
    await send(p, p.b);
    await send(pair2, pair2.b);
    await send(pair2, pair2.b);
    const states = await engine.messages.readStates(
      p.a,
      [
        { room: p.room, peer: p.b },
        { room: pair2.room, peer: pair2.b },
      ],
      t0,
    );
    expect(states.map((s) => s.unread)).toEqual([1, 2]);
  });

  it('matches a model over random interleavings of sends and reads; a read seq never goes back', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('send' as const), who: fc.constantFrom(0, 1) }),
      fc.record({
        kind: fc.constant('read' as const),
        who: fc.constantFrom(0, 1),
        // How far back from the latest seq (negative: beyond it).
        back: fc.integer({ min: -3, max: 8 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const p = freshPair();
        const who = [p.a, p.b];
        const seqs: { seq: number; from: number }[] = [];
        const model = new Map<number, number>([
          [0, 0],
          [1, 0],
        ]);
        for (const o of ops) {
          const me = o.who;
          const before = model.get(me) ?? 0;
          if (o.kind === 'send') {
            const m = await send(p, who[me] as string);
            seqs.push({ seq: m.seq, from: me });
            model.set(me, Math.max(before, m.seq));
          } else {
            const latest = seqs.at(-1)?.seq ?? 0;
            const mark = await engine.messages.markRead(
              p.room,
              who[me] as string,
              who[1 - me] as string,
              latest - o.back,
              t0,
            );
            const want = seqs.length === 0 ? before : Math.min(latest, latest - o.back);
            model.set(me, Math.max(before, want));
            expect(mark.seq).toBe(model.get(me));
            expect(mark.moved).toBe((model.get(me) ?? 0) > before);
          }
          for (const i of [0, 1]) {
            const mine = model.get(i) ?? 0;
            const state = await stateOf(p, who[i] as string);
            const unread = seqs.filter((s) => s.from !== i && s.seq > mine).length;
            expect(state).toMatchObject({ readSeq: mine, peerReadSeq: model.get(1 - i), unread });
          }
        }
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});
