import { randomUUID } from 'node:crypto';
import { deleteKeys, requireRedis, uniquePrefix } from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterRoomIndexSize,
  connectClusterTestEngine,
} from '../../../test/helpers/redis-cluster-engine.js';
import { connectTestEngine, roomIndexSize } from '../../../test/helpers/redis-engine.js';
import type { Engine } from '../engine.js';
import { MemoryEngine } from '../memory-engine.js';
import type { AppendFields, MessagePage } from './message-store.js';

interface Fixture {
  engine: Engine;
  /** Entries the room's index holds, expired ones included until pruned. */
  indexSize(room: string): Promise<number>;
  dispose(): Promise<void>;
}

const engines: [string, () => Promise<Fixture>][] = [
  [
    'MemoryEngine',
    async () => {
      const engine = new MemoryEngine();
      return {
        engine,
        indexSize: async (r) => engine.messages.indexSize(r),
        dispose: () => engine.close(),
      };
    },
  ],
  [
    'RedisEngine',
    async () => {
      await requireRedis();
      const prefix = uniquePrefix();
      const engine = await connectTestEngine(prefix);
      return {
        engine,
        indexSize: (room) => roomIndexSize(prefix, room),
        dispose: async () => {
          await engine.close();
          await deleteKeys(prefix);
        },
      };
    },
  ],
  [
    'RedisEngine on a Redis Cluster',
    async () => {
      const prefix = uniquePrefix();
      const engine = await connectClusterTestEngine(prefix);
      return {
        engine,
        indexSize: (room) => clusterRoomIndexSize(prefix, room),
        dispose: () => engine.close(),
      };
    },
  ],
];

/** Two fresh users and their room, so tests sharing an engine never meet. */
function freshPair() {
  const id = randomUUID().slice(0, 8);
  const a = `a${id}`;
  const b = `b${id}`;
  return { a, b, room: `dm:${a}:${b}`, members: [a, b] as const };
}

describe.each(engines)('Messages contract: %s', (_name, open) => {
  let fx: Fixture;
  let engine: Engine;
  beforeAll(async () => {
    fx = await open();
    engine = fx.engine;
  });
  afterAll(() => fx.dispose());

  const t0 = Date.now();
  const send = (p: ReturnType<typeof freshPair>, over: Partial<AppendFields> = {}) =>
    engine.messages.append({
      room: p.room,
      members: p.members,
      from: p.a,
      text: 'hello',
      ttl: 60_000,
      clientMsgId: randomUUID(),
      now: t0,
      ...over,
    });

  it('stores a message and reads it back, the first seq of a fresh room being the clock', async () => {
    const p = freshPair();
    const { message, json, duplicate } = await send(p, {
      text: 'hi "there" ✓',
      clientMsgId: 'c-1',
    });
    expect(duplicate).toBe(false);
    // The serialized form, byte for byte what a client gets, keeps the protocol's key order.
    expect(json).toBe(JSON.stringify(message));
    expect(message).toEqual({
      room: p.room,
      seq: t0,
      from: p.a,
      text: 'hi "there" ✓',
      clientMsgId: 'c-1',
      createdAt: t0,
      ttl: 60_000,
      expiresAt: t0 + 60_000,
    });
    expect((await engine.messages.readAfter(p.room, 0, 10, t0)).messages).toEqual([message]);
    expect(await engine.messages.readBefore(p.room, undefined, 10, t0)).toEqual({
      messages: [message],
      hasMore: false,
    });
  });

  it('numbers a room consecutively and returns messages in seq order', async () => {
    const p = freshPair();
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push((await send(p, { now: t0 + i })).message.seq);
    expect(seqs).toEqual([t0, t0 + 1, t0 + 2, t0 + 3, t0 + 4]);
    const read = (await engine.messages.readAfter(p.room, 0, 10, t0 + 5)).messages;
    expect(read.map((m) => m.seq)).toEqual(seqs);
  });

  it('pages backwards with readBefore, ascending within a page, with hasMore', async () => {
    const p = freshPair();
    for (let i = 0; i < 7; i++) await send(p, { text: `m${i}` });
    const texts = (ms: { text: string }[]) => ms.map((m) => m.text);
    const last = await engine.messages.readBefore(p.room, undefined, 3, t0);
    expect(texts(last.messages)).toEqual(['m4', 'm5', 'm6']);
    expect(last.hasMore).toBe(true);
    const middle = await engine.messages.readBefore(p.room, last.messages[0]?.seq, 3, t0);
    expect(texts(middle.messages)).toEqual(['m1', 'm2', 'm3']);
    expect(middle.hasMore).toBe(true);
    const first = await engine.messages.readBefore(p.room, middle.messages[0]?.seq, 3, t0);
    expect(first).toEqual({ messages: [expect.objectContaining({ text: 'm0' })], hasMore: false });
  });

  it('reads forward from a seq with readAfter, at most limit', async () => {
    const p = freshPair();
    for (let i = 0; i < 5; i++) await send(p, { text: `m${i}` });
    const after = await engine.messages.readAfter(p.room, t0 + 1, 2, t0);
    expect(after.hasMore).toBe(true);
    expect(after.messages.map((m) => [m.seq, m.text])).toEqual([
      [t0 + 2, 'm2'],
      [t0 + 3, 'm3'],
    ]);
    expect(await engine.messages.readAfter(p.room, t0 + 3, 2, t0)).toEqual({
      messages: [expect.objectContaining({ text: 'm4' })],
      hasMore: false,
    });
    expect(await engine.messages.readAfter(p.room, t0 + 4, 10, t0)).toEqual({
      messages: [],
      hasMore: false,
    });
    expect((await engine.messages.readAfter(freshPair().room, 0, 10, t0)).messages).toEqual([]);
  });

  it('cuts a page by the bytes of its JSON, always returning at least one message', async () => {
    const p = freshPair();
    // 4-byte characters: 4,000 code points are 16,000 bytes of UTF-8.
    for (let i = 0; i < 6; i++) await send(p, { text: '😀'.repeat(4000) });
    const one = (await engine.messages.readAfter(p.room, 0, 10, t0)).messages[0];
    const size = Buffer.byteLength(JSON.stringify(one));
    expect(size).toBeGreaterThan(16_000);
    const cap = 2 * size + 3; // exactly two: `[`, `,`, `]`
    const forward = await engine.messages.readAfter(p.room, 0, 10, t0, cap);
    expect(forward.messages.map((m) => m.seq)).toEqual([t0, t0 + 1]);
    expect(Buffer.byteLength(JSON.stringify(forward.messages))).toBe(cap);
    expect(forward.hasMore).toBe(true);
    const back = await engine.messages.readBefore(p.room, undefined, 10, t0, cap - 1);
    expect(back.messages.map((m) => m.seq)).toEqual([t0 + 5]);
    expect(back.hasMore).toBe(true);
    const tiny = await engine.messages.readAfter(p.room, t0 + 4, 10, t0, 10);
    expect(tiny).toEqual({ messages: [expect.objectContaining({ seq: t0 + 5 })], hasMore: false });
  });

  it('pages every unexpired message exactly once, in order, each page within the byte cap', async () => {
    const entry = fc.record({
      length: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4000 })),
      wide: fc.boolean(),
      ttl: fc.constantFrom(10_000, 60_000),
    });
    const cases = fc.record({
      entries: fc.array(entry, { maxLength: 30 }),
      cap: fc.integer({ min: 200, max: 60_000 }),
      limit: fc.integer({ min: 1, max: 12 }),
      readAt: fc.integer({ min: 0, max: 12_000 }),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ entries, cap, limit, readAt }) => {
        const p = freshPair();
        const sent = [];
        for (const [i, e] of entries.entries()) {
          const text = (e.wide ? '😀' : 'a').repeat(e.length);
          sent.push((await send(p, { text, ttl: e.ttl, now: t0 + i })).message);
        }
        const at = t0 + readAt;
        const model = sent.filter((m) => m.expiresAt > at).map((m) => m.seq);
        const within = (page: MessagePage) => {
          expect(page.messages.length).toBeLessThanOrEqual(limit);
          const bytes = Buffer.byteLength(JSON.stringify(page.messages));
          if (page.messages.length > 1) expect(bytes).toBeLessThanOrEqual(cap);
        };
        const forward: number[] = [];
        for (let after = 0, more = true; more; ) {
          const page = await engine.messages.readAfter(p.room, after, limit, at, cap);
          within(page);
          forward.push(...page.messages.map((m) => m.seq));
          more = page.hasMore;
          after = page.messages.at(-1)?.seq ?? after;
          if (more) expect(page.messages.length).toBeGreaterThan(0);
        }
        expect(forward).toEqual(model);
        const backward: number[] = [];
        for (let before: number | undefined, more = true; more; ) {
          const page = await engine.messages.readBefore(p.room, before, limit, at, cap);
          within(page);
          backward.unshift(...page.messages.map((m) => m.seq));
          more = page.hasMore;
          before = page.messages[0]?.seq ?? before;
          if (more) expect(page.messages.length).toBeGreaterThan(0);
        }
        expect(backward).toEqual(model);
      }),
      { numRuns: 25 },
    );
  }, 30_000);

  it('serves a message until just before expiresAt and by no read from expiresAt on', async () => {
    const p = freshPair();
    const { message } = await send(p, { ttl: 10_000 });
    const at = t0 + 9_999;
    expect((await engine.messages.readAfter(p.room, 0, 10, at)).messages).toEqual([message]);
    expect((await engine.messages.readBefore(p.room, undefined, 10, at)).messages).toEqual([
      message,
    ]);
    expect(await engine.messages.listChats(p.b, 10, at)).toEqual([message]);

    const gone = t0 + 10_000;
    expect((await engine.messages.readAfter(p.room, 0, 10, gone)).messages).toEqual([]);
    expect(await engine.messages.readBefore(p.room, undefined, 10, gone)).toEqual({
      messages: [],
      hasMore: false,
    });
    expect(await engine.messages.listChats(p.a, 10, gone)).toEqual([]);
    expect(await engine.messages.listChats(p.b, 10, gone)).toEqual([]);
  });

  it('keeps the longer-lived messages of a room when a shorter one expires', async () => {
    const p = freshPair();
    const long = (await send(p, { ttl: 30_000, text: 'long' })).message;
    await send(p, { ttl: 10_000, text: 'short' });
    const later = (await send(p, { ttl: 30_000, text: 'later' })).message;
    const at = t0 + 10_000;
    expect((await engine.messages.readAfter(p.room, 0, 10, at)).messages).toEqual([long, later]);
    expect(await engine.messages.readBefore(p.room, undefined, 1, at)).toEqual({
      messages: [later],
      hasMore: true,
    });
  });

  it('answers a retry with the first ack and stores nothing new', async () => {
    const p = freshPair();
    const first = await send(p, { clientMsgId: 'retry-1', text: 'once' });
    const retry = await send(p, { clientMsgId: 'retry-1', text: 'twice', now: t0 + 5 });
    expect(retry.duplicate).toBe(true);
    expect(retry.message).toEqual(first.message);
    expect(retry.json).toBe(first.json);
    expect((await engine.messages.readAfter(p.room, 0, 10, t0 + 5)).messages).toEqual([
      first.message,
    ]);
    // The key is (room, from, clientMsgId): the other member may reuse the id.
    const other = await send(p, { clientMsgId: 'retry-1', from: p.b, now: t0 + 6 });
    expect(other.duplicate).toBe(false);
    expect(other.message.seq).toBe(first.message.seq + 1);
  });

  it('stores a retried id anew once its first message has expired', async () => {
    const p = freshPair();
    const first = await send(p, { clientMsgId: 'late', ttl: 10_000 });
    const again = await send(p, { clientMsgId: 'late', ttl: 10_000, now: t0 + 10_000 });
    expect(again.duplicate).toBe(false);
    expect(again.message.seq).toBeGreaterThan(first.message.seq);
  });

  it('restarts the seq at the clock once every message of the room has expired', async () => {
    const p = freshPair();
    expect((await send(p, { ttl: 10_000 })).message.seq).toBe(t0);
    expect((await send(p, { ttl: 10_000, now: t0 + 1_000 })).message.seq).toBe(t0 + 1);
    // The first has expired, the second has not: the room lives on, consecutively.
    expect((await send(p, { ttl: 10_000, now: t0 + 10_500 })).message.seq).toBe(t0 + 2);
    // All three have expired by t0 + 20_500.
    const restarted = await send(p, { ttl: 10_000, now: t0 + 20_500 });
    expect(restarted.message.seq).toBe(t0 + 20_500);
    expect((await engine.messages.readAfter(p.room, 0, 10, t0 + 20_500)).messages).toEqual([
      restarted.message,
    ]);
  });

  it('prunes expired messages from the room index as it reads', async () => {
    const p = freshPair();
    await send(p, { ttl: 10_000 });
    await send(p, { ttl: 10_000 });
    const kept = (await send(p, { ttl: 20_000 })).message;
    expect(await fx.indexSize(p.room)).toBe(3);
    expect((await engine.messages.readAfter(p.room, 0, 10, t0 + 10_000)).messages).toEqual([kept]);
    expect(await fx.indexSize(p.room)).toBe(1);
    await engine.messages.readBefore(p.room, undefined, 10, t0 + 20_000);
    expect(await fx.indexSize(p.room)).toBe(0);
  });
});
