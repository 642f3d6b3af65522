import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import { roomTopic, userTopic } from '../../delivery/topics.js';
import type { Engine } from '../engine.js';
import { GROUP_READ_SENDERS_MAX } from './group-scripts.js';

// Group rooms in the message seam, run against both engines: one stored copy published once on
// the room's topic, read seqs per member ("seen by k of n"), a burn that starts once every member
// listed has read, new members who start at the latest seq, and unsend.

function freshGroup(n = 3) {
  const id = randomUUID();
  const members = Array.from({ length: n }, (_, i) => `m${i}${id.slice(0, 8)}`);
  return { room: `g:${id}`, members };
}

/** Collects what a topic carries until `stop()`. */
async function listen(engine: Engine, topic: string) {
  const got: string[] = [];
  await engine.bus.subscribe(topic, (payload) => got.push(payload));
  return { got, stop: () => engine.bus.unsubscribe(topic) };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe.each(engineFactories)('Group messages contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  const t0 = Date.now();
  const send = (room: string, from: string, over: { burn?: number; now?: number } = {}) =>
    engine.messages.append({
      room,
      group: true,
      from,
      text: 'hi "burn":5000,"expiresAt":1}',
      ttl: 60_000,
      burn: over.burn,
      clientMsgId: randomUUID(),
      now: over.now ?? t0,
    });

  it('publishes a message once on the room topic and on no user topic', async () => {
    const g = freshGroup();
    const room = await listen(engine, roomTopic(g.room));
    const users = await Promise.all(g.members.map((m) => listen(engine, userTopic(m))));
    const { message, json } = await send(g.room, g.members[0] ?? '');
    await settle();
    expect(room.got).toEqual([`{"type":"message","message":${json}}`]);
    expect(JSON.parse(json)).toEqual(message);
    for (const u of users) expect(u.got).toEqual([]);
    await Promise.all([room.stop(), ...users.map((u) => u.stop())]);
  });

  it('answers a retry with the first copy and publishes nothing more', async () => {
    const g = freshGroup();
    const room = await listen(engine, roomTopic(g.room));
    const input = {
      room: g.room,
      group: true as const,
      from: g.members[0] ?? '',
      text: 'once',
      ttl: 60_000,
      clientMsgId: 'retry-1',
      now: t0,
    };
    const first = await engine.messages.append(input);
    const again = await engine.messages.append(input);
    await settle();
    expect(again.duplicate).toBe(true);
    expect(again.message).toEqual(first.message);
    expect(room.got).toHaveLength(1);
    await room.stop();
  });

  it("counts another member's messages after one's read seq as unread, never one's own", async () => {
    const g = freshGroup();
    const [x = '', y = '', z = ''] = g.members;
    await send(g.room, x);
    await send(g.room, y);
    const last = await send(g.room, x);
    const unread = async (m: string) =>
      (await engine.messages.readStates(m, [{ room: g.room, peer: '' }], t0))[0]?.unread;
    expect(await unread(z)).toBe(3);
    expect(await unread(y)).toBe(1);
    expect(await unread(x)).toBe(0);
    await engine.messages.markGroupRead(g.room, z, g.members, last.message.seq - 1, t0);
    expect(await unread(z)).toBe(1);
  });

  it('moves a new member to the latest seq, so what came before is neither unread nor held back from burning', async () => {
    const g = freshGroup(2);
    const [x = '', y = ''] = g.members;
    const late = `late${randomUUID().slice(0, 8)}`;
    const burn = await send(g.room, x, { burn: 5_000 });
    await engine.messages.joinGroup(g.room, [late], t0);
    expect(await engine.messages.readSeqs(g.room, [x, y, late])).toEqual([
      burn.message.seq,
      0,
      burn.message.seq,
    ]);
    const [state] = await engine.messages.readStates(late, [{ room: g.room, peer: '' }], t0);
    expect(state?.unread).toBe(0);
    // y's read is the last one missing: the burn starts although `late` never read.
    const mark = await engine.messages.markGroupRead(g.room, y, [x, y, late], burn.message.seq, t0);
    expect(mark.burned).toEqual([{ seq: burn.message.seq, expiresAt: t0 + 5_000 }]);
  });

  it('starts a burn only at the read that completes every member, and tells the room with no text', async () => {
    const g = freshGroup(3);
    const [x = '', y = '', z = ''] = g.members;
    const { message } = await send(g.room, x, { burn: 10_000 });
    const topic = await listen(engine, roomTopic(g.room));
    const first = await engine.messages.markGroupRead(g.room, y, g.members, message.seq, t0 + 1);
    expect(first).toMatchObject({ seq: message.seq, moved: true, burned: [] });
    const readAt = t0 + 2_000;
    const second = await engine.messages.markGroupRead(g.room, z, g.members, message.seq, readAt);
    expect(second.burned).toEqual([{ seq: message.seq, expiresAt: readAt + 10_000 }]);
    await settle();
    expect(topic.got).toEqual([
      `{"type":"expiry","room":"${g.room}","seq":${message.seq},"expiresAt":${readAt + 10_000}}`,
    ]);
    const page = await engine.messages.readAfter(g.room, 0, 10, readAt);
    expect(page.messages[0]?.expiresAt).toBe(readAt + 10_000);
    expect((await engine.messages.readAfter(g.room, 0, 10, readAt + 10_000)).messages).toEqual([]);
    expect(await engine.messages.readSeqs(g.room, g.members)).toEqual([
      message.seq,
      message.seq,
      message.seq,
    ]);
    await topic.stop();
  });

  it('tells a read to the reader and the senders it covers, not to every member', async () => {
    const g = freshGroup(4);
    const [x = '', y = '', z = '', w = ''] = g.members;
    await send(g.room, x);
    const last = await send(g.room, y);
    const topics = await Promise.all(
      [roomTopic(g.room), ...g.members.map(userTopic)].map((t) => listen(engine, t)),
    );
    await engine.messages.markGroupRead(g.room, z, g.members, last.message.seq, t0);
    await settle();
    const event = `{"type":"read","room":"${g.room}","userId":"${z}","seq":${last.message.seq}}`;
    const [room, ...users] = topics.map((t) => t.got);
    expect(room).toEqual([]);
    expect(users).toEqual([[event], [event], [event], []]);
    expect(w).toBeDefined();
    await Promise.all(topics.map((t) => t.stop()));
  });

  it('tells the whole room once when a read covers more senders than it would tell one by one', async () => {
    const g = freshGroup(GROUP_READ_SENDERS_MAX + 3);
    const reader = g.members.at(-1) ?? '';
    let last = 0;
    for (const from of g.members.slice(0, GROUP_READ_SENDERS_MAX + 1)) {
      last = (await send(g.room, from)).message.seq;
    }
    const room = await listen(engine, roomTopic(g.room));
    const mine = await listen(engine, userTopic(reader));
    await engine.messages.markGroupRead(g.room, reader, g.members, last, t0);
    await settle();
    expect(room.got).toEqual([
      `{"type":"read","room":"${g.room}","userId":"${reader}","seq":${last}}`,
    ]);
    expect(mine.got).toEqual([]);
    await Promise.all([room.stop(), mine.stop()]);
  });

  it('never moves a read seq backwards nor past the latest message', async () => {
    const g = freshGroup(2);
    const [x = '', y = ''] = g.members;
    const { message } = await send(g.room, x);
    const high = await engine.messages.markGroupRead(g.room, y, g.members, message.seq + 50, t0);
    expect(high).toMatchObject({ seq: message.seq, moved: true });
    const low = await engine.messages.markGroupRead(g.room, y, g.members, 1, t0);
    expect(low).toMatchObject({ seq: message.seq, moved: false });
  });

  it('unsends only the sender’s live message, once, with a text-free event to the room', async () => {
    const g = freshGroup(2);
    const [x = '', y = ''] = g.members;
    const { message } = await send(g.room, x);
    const topic = await listen(engine, roomTopic(g.room));
    expect(await engine.messages.unsendInGroup(g.room, y, message.seq, t0)).toBe('not_sender');
    expect(await engine.messages.unsendInGroup(g.room, x, message.seq, t0)).toBe('unsent');
    expect(await engine.messages.unsendInGroup(g.room, x, message.seq, t0)).toBe('not_found');
    await settle();
    expect(topic.got).toEqual([`{"type":"unsent","room":"${g.room}","seq":${message.seq}}`]);
    expect((await engine.messages.readAfter(g.room, 0, 10, t0)).messages).toEqual([]);
    await topic.stop();
  });

  it('burns a message exactly when the lowest read seq of the members reaches it (model)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(3), fc.nat(7)), { maxLength: 12 }),
        async (burns, reads) => {
          const g = freshGroup(4);
          const [sender = ''] = g.members;
          const sent = [];
          for (const burn of burns) {
            sent.push((await send(g.room, sender, burn ? { burn: 5_000 } : {})).message);
          }
          const first = sent[0]?.seq ?? 0;
          // Model: read seqs per member (the sender's is its last send), burnt seqs.
          const model = new Map(g.members.map((m) => [m, 0]));
          model.set(sender, sent.at(-1)?.seq ?? 0);
          const burnt = new Set<number>();
          for (const [who, offset] of reads) {
            const member = g.members[who] ?? sender;
            const seq = first + offset;
            const mark = await engine.messages.markGroupRead(g.room, member, g.members, seq, t0);
            const latest = sent.at(-1)?.seq ?? 0;
            model.set(member, Math.max(model.get(member) ?? 0, Math.min(seq, latest)));
            const floor = Math.min(...model.values());
            const expected = sent
              .filter((m) => m.burn !== undefined && m.seq <= floor && !burnt.has(m.seq))
              .map((m) => m.seq);
            expect(mark.burned.map((b) => b.seq)).toEqual(expected);
            for (const s of expected) burnt.add(s);
            expect(mark.seq).toBe(model.get(member));
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
