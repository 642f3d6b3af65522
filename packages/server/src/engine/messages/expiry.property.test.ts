import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import type { Engine } from '../engine.js';

// Model-based: random interleavings of sends (with and without burn), reads, unsends and clock advances,
// each followed by every read path (resume = readAfter, history/open = readBefore, chats =
// listChatRows, open/chats counts = readStates). No path may return a message at or after its
// effective expiry, and unread / unseen-expired counts must match a plain model.

interface ModelMessage {
  seq: number;
  from: 0 | 1;
  burn: number | undefined;
  expiresAt: number;
  burnStarted: boolean;
  /** Unsent by its sender. */
  gone: boolean;
}

const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      who: fc.constantFrom(0 as const, 1 as const),
      ttl: fc.constantFrom(10_000, 30_000, 60_000),
      burn: fc.constantFrom(undefined, 5_000, 10_000, 20_000),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      who: fc.constantFrom(0 as const, 1 as const),
      back: fc.integer({ min: -2, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unsend' as const),
      who: fc.constantFrom(0 as const, 1 as const),
      back: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.constantFrom(500, 3_000, 7_000, 15_000),
    }),
  },
);

describe.each(engineFactories)('Expiry and read state property: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  it('never returns a message past its effective expiry; unread and unseen-expired match the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const id = randomUUID().slice(0, 8);
        const who = [`a${id}`, `b${id}`] as const;
        const room = `dm:${who[0]}:${who[1]}`;
        let now = Date.now();
        const messages: ModelMessage[] = [];
        const reads = [0, 0];
        const unseen = [0, 0];
        const pending: Set<number>[] = [new Set(), new Set()];
        const bySeq = (seq: number) => messages.find((m) => m.seq === seq);
        const live = () => messages.filter((m) => !m.gone && m.expiresAt > now);
        const expiredPending = (i: number) =>
          [...(pending[i] as Set<number>)].filter((s) => (bySeq(s)?.expiresAt ?? 0) <= now).length;

        for (const o of ops) {
          if (o.kind === 'advance') {
            now += o.ms;
          } else if (o.kind === 'send') {
            const burn = o.burn !== undefined && o.burn <= o.ttl ? o.burn : undefined;
            const { message } = await engine.messages.append({
              room,
              members: who,
              from: who[o.who],
              text: `m${messages.length}`,
              ttl: o.ttl,
              burn,
              clientMsgId: randomUUID(),
              now,
            });
            expect(message.expiresAt).toBe(now + o.ttl);
            // The sender reads up to its own message: what it had pending is settled.
            unseen[o.who] = (unseen[o.who] ?? 0) + expiredPending(o.who);
            pending[o.who]?.clear();
            reads[o.who] = message.seq;
            pending[1 - o.who]?.add(message.seq);
            messages.push({
              seq: message.seq,
              from: o.who,
              burn,
              expiresAt: message.expiresAt,
              burnStarted: false,
              gone: false,
            });
          } else if (o.kind === 'unsend') {
            const target = messages[messages.length - 1 - o.back];
            const seq = target?.seq ?? (messages.at(-1)?.seq ?? 0) + 1;
            const result = await engine.messages.unsend(
              room,
              who[o.who],
              who[1 - o.who] as string,
              seq,
              now,
            );
            if (!target || target.gone || target.expiresAt <= now) {
              expect(result).toBe('not_found');
            } else if (target.from !== o.who) {
              expect(result).toBe('not_sender');
            } else {
              expect(result).toBe('unsent');
              target.gone = true;
              // Neither unread nor ever expired unseen.
              pending[1 - o.who]?.delete(seq);
            }
          } else {
            const me = o.who;
            const latest = messages.at(-1)?.seq ?? 0;
            const mark = await engine.messages.markRead(
              room,
              who[me],
              who[1 - me] as string,
              latest - o.back,
              now,
            );
            expect(mark.unseenCleared).toBe((unseen[me] ?? 0) + expiredPending(me));
            if (live().length > 0) {
              reads[me] = Math.max(reads[me] ?? 0, Math.min(latest, latest - o.back));
            }
            const read = reads[me] ?? 0;
            expect(mark.seq).toBe(read);
            const burned: { seq: number; expiresAt: number }[] = [];
            for (const m of messages) {
              if (
                m.gone ||
                m.from === me ||
                m.burn === undefined ||
                m.burnStarted ||
                m.seq > read
              ) {
                continue;
              }
              m.burnStarted = true;
              if (m.expiresAt <= now || now + m.burn >= m.expiresAt) continue;
              m.expiresAt = now + m.burn;
              burned.push({ seq: m.seq, expiresAt: m.expiresAt });
            }
            expect(mark.burned).toEqual(burned);
            unseen[me] = 0;
            pending[me] = new Set(
              live().flatMap((m) => (m.from !== me && m.seq > read ? [m.seq] : [])),
            );
          }

          // Every read path, at this instant.
          const want = live().map((m) => [m.seq, m.expiresAt]);
          const after = await engine.messages.readAfter(room, 0, 100, now);
          expect(after.messages.map((m) => [m.seq, m.expiresAt])).toEqual(want);
          const before = await engine.messages.readBefore(room, undefined, 100, now);
          expect(before.messages.map((m) => [m.seq, m.expiresAt])).toEqual(want);
          for (const i of [0, 1] as const) {
            const rows = await engine.messages.listChatRows(who[i], 10, now);
            const row = rows.find((r) => r.room === room);
            const newest = live().at(-1);
            if (newest) expect(row?.last?.seq).toBe(newest.seq);
            else expect(row?.last).toBeUndefined();
            for (const r of rows) if (r.last) expect(r.last.expiresAt).toBeGreaterThan(now);
            const [state] = await engine.messages.readStates(
              who[i],
              [{ room, peer: who[1 - i] as string }],
              now,
            );
            const mine = reads[i] ?? 0;
            expect(state).toMatchObject({
              readSeq: mine,
              peerReadSeq: reads[1 - i],
              unread: live().filter((m) => m.from !== i && m.seq > mine).length,
              unseenExpired: (unseen[i] ?? 0) + expiredPending(i),
            });
          }
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
