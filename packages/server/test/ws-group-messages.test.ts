import {
  clientFrameSchema,
  limits,
  type Message,
  type ServerFrame,
  serverFrameSchema,
} from '@ephemeral-chat/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changed, errorCode, groupReply } from './helpers/groups.js';
import { type Person, serverSetups, usePeopleServer } from './helpers/people.js';

// Messages in groups over real sockets on both engines (and PostgreSQL): send, read receipts
// ("seen by"), typing, settings (admins), unsend, burn once everyone read, bounded replies,
// outsiders, membership changes racing sends, and fuzzed input.

const unknownRoom = 'g:00000000-0000-4000-8000-000000000000';

describe.each(serverSetups)('group messages with $name', (setup) => {
  const env = {
    WS_FRAME_BURST: '2000',
    WS_FRAME_RATE: '1000',
    WS_SEND_BURST: '500',
    WS_SEND_RATE: '500',
    GROUPS_MAX_PER_USER: '150',
  };
  const { people } = usePeopleServer(setup, env, 'gm');

  /** A group made by the first person with the others, once every member has heard of it. */
  async function groupOf(crowd: Person[], name = 'crew'): Promise<string> {
    const [admin, ...others] = crowd;
    if (!admin) throw new Error('nobody');
    const { room } = await groupReply(admin.s, {
      type: 'group.create',
      name,
      usernames: others.map((p) => p.user.username),
    });
    await Promise.all(crowd.map((p) => changed(p.s, room, 'created')));
    return room;
  }

  async function send(p: Person, room: string, text: string, extra: object = {}) {
    const reply = await p.s.request({
      type: 'send',
      room,
      text,
      clientMsgId: crypto.randomUUID(),
      ...extra,
    });
    if (reply.type !== 'ack') throw new Error(`expected ack, got ${JSON.stringify(reply)}`);
    return reply.message;
  }

  const messageEvent = (seq: number) => (f: ServerFrame) =>
    f.type === 'message' && f.message.seq === seq;

  it('delivers to every member, tells a read to the senders it covers ("seen by") and relays typing', async () => {
    const crowd = await people(3);
    const [a, b, c] = crowd as [Person, Person, Person];
    const room = await groupOf(crowd);
    const m = await send(a, room, 'hi all');
    for (const p of crowd)
      expect(await p.s.next(messageEvent(m.seq))).toMatchObject({ message: m });
    const read = await b.s.request({ type: 'read', room, seq: m.seq });
    expect(read).toMatchObject({ type: 'read', room, userId: b.user.id, seq: m.seq });
    // The read goes to the sender of what it covers ("seen by"), not to every member.
    expect(
      await a.s.next((f) => f.type === 'read' && f.id === undefined && f.userId === b.user.id),
    ).toEqual({ type: 'read', room, userId: b.user.id, seq: m.seq });
    c.s.send({ type: 'typing', room, typing: true });
    // (Checked below: nothing about b's read reached c.)
    for (const p of [a, b]) {
      expect(await p.s.next((f) => f.type === 'typing')).toEqual({
        type: 'typing',
        room,
        userId: c.user.id,
        typing: true,
      });
    }
    // delivered: accepted without a reply or event in a group.
    b.s.send({ type: 'delivered', room, seq: m.seq });
    expect((await b.s.request({ type: 'ping' })).type).toBe('pong');
    expect(c.s.frames.filter((f) => f.type === 'read' || f.type === 'delivered')).toEqual([]);
  });

  it('opens a group with its messages, unread count, every read seq and who is online', async () => {
    const crowd = await people(3);
    const [a, b, c] = crowd as [Person, Person, Person];
    const room = await groupOf(crowd, 'opened');
    const m1 = await send(a, room, 'one');
    const m2 = await send(b, room, 'two');
    await c.s.request({ type: 'read', room, seq: m1.seq });
    const opened = await c.s.request({ type: 'group.open', room });
    if (opened.type !== 'group.opened') throw new Error(JSON.stringify(opened));
    expect(serverFrameSchema.safeParse(opened).success).toBe(true);
    expect(opened.messages).toEqual([m1, m2]);
    expect(opened.hasMore).toBe(false);
    expect(opened.unread).toBe(1);
    expect(opened.group.name).toBe('opened');
    expect(opened.reads).toEqual([
      { userId: a.user.id, seq: m1.seq },
      { userId: b.user.id, seq: m2.seq },
      { userId: c.user.id, seq: m1.seq },
    ]);
    expect([...opened.online].sort()).toEqual([a.user.id, b.user.id, c.user.id].sort());
    expect(opened.settings).toEqual({});
  });

  it('lets only admins set the group’s timers; every member hears it and sends take them', async () => {
    const crowd = await people(2);
    const [a, b] = crowd as [Person, Person];
    const room = await groupOf(crowd);
    expect(await errorCode(b.s, { type: 'settings', room, ttl: 60_000 })).toBe('not_admin');
    const set = await a.s.request({ type: 'settings', room, ttl: 60_000, burn: 10_000 });
    expect(set).toMatchObject({ type: 'settings', settings: { ttl: 60_000, burn: 10_000 } });
    expect(await b.s.next((f) => f.type === 'settings' && f.id === undefined)).toMatchObject({
      room,
      settings: { ttl: 60_000, burn: 10_000 },
      by: a.user.id,
    });
    const m = await send(b, room, 'timed');
    expect(m).toMatchObject({ ttl: 60_000, burn: 10_000 });
  });

  it('starts a burn once every member has read, announcing it with no text', async () => {
    const crowd = await people(3);
    const [a, b, c] = crowd as [Person, Person, Person];
    const room = await groupOf(crowd);
    const m = await send(a, room, 'secret', { burn: 5_000 });
    await b.s.request({ type: 'read', room, seq: m.seq });
    const opened = await a.s.request({ type: 'group.open', room });
    expect(opened.type === 'group.opened' && opened.messages[0]?.expiresAt).toBe(m.expiresAt);
    await c.s.request({ type: 'read', room, seq: m.seq });
    const expiry = await a.s.next((f) => f.type === 'expiry');
    expect(expiry).toEqual({ type: 'expiry', room, seq: m.seq, expiresAt: expect.any(Number) });
    expect(JSON.stringify(expiry)).not.toContain('secret');
    if (expiry.type !== 'expiry') throw new Error('unreachable');
    expect(expiry.expiresAt).toBeLessThan(m.expiresAt);
  });

  it('unsends only one’s own message, for everyone, with a text-free event', async () => {
    const crowd = await people(3);
    const [a, b, c] = crowd as [Person, Person, Person];
    const room = await groupOf(crowd);
    const m = await send(a, room, 'oops');
    expect(await errorCode(b.s, { type: 'unsend', room, seq: m.seq })).toBe('forbidden');
    expect(await a.s.request({ type: 'unsend', room, seq: m.seq })).toMatchObject({
      type: 'unsent',
      room,
      seq: m.seq,
    });
    for (const p of [b, c]) {
      expect(await p.s.next((f) => f.type === 'unsent' && f.id === undefined)).toEqual({
        type: 'unsent',
        room,
        seq: m.seq,
      });
    }
    expect(await c.s.request({ type: 'history', room })).toMatchObject({ messages: [] });
    expect(await errorCode(a.s, { type: 'unsend', room, seq: m.seq })).toBe('not_found');
  });

  it('answers forbidden to outsiders on every group frame, whether or not the group exists', async () => {
    const crowd = await people(2);
    const [outsider] = await people(1);
    if (!outsider) throw new Error('people');
    const room = await groupOf(crowd);
    const m = await send(crowd[0] as Person, room, 'members only');
    for (const r of [room, unknownRoom]) {
      for (const frame of [
        { type: 'send', room: r, text: 'hi', clientMsgId: 'o-1' },
        { type: 'history', room: r },
        { type: 'resume', room: r, after: 0 },
        { type: 'read', room: r, seq: m.seq },
        { type: 'settings', room: r, ttl: 60_000 },
        { type: 'unsend', room: r, seq: m.seq },
        { type: 'group.open', room: r },
      ]) {
        expect(await errorCode(outsider.s, frame), frame.type).toBe('forbidden');
      }
      for (const frame of [
        { type: 'typing', room: r, typing: true },
        { type: 'delivered', room: r, seq: 1 },
      ]) {
        outsider.s.send(frame);
        const err = await outsider.s.next((f) => f.type === 'error' && f.id === undefined);
        expect(err, frame.type).toMatchObject({ error: { code: 'forbidden' } });
      }
    }
    // Nothing reached the outsider.
    expect(outsider.s.frames.filter((f) => f.type === 'message' || f.type === 'typing')).toEqual(
      [],
    );
  });

  it('keeps group.open within the reply bound and pages back to every message', async () => {
    const crowd = await people(2);
    const [a] = crowd as [Person];
    const room = await groupOf(crowd);
    const big = 'x'.repeat(limits.messageMaxLength);
    const sent: Message[] = [];
    for (let i = 0; i < 80; i++) sent.push(await send(a, room, `${i}${big}`.slice(0, 4000)));
    a.s.frames.length = 0;
    const opened = await a.s.request({ type: 'group.open', room });
    if (opened.type !== 'group.opened') throw new Error(JSON.stringify(opened));
    expect(Buffer.byteLength(JSON.stringify(opened))).toBeLessThanOrEqual(limits.replyMaxBytes);
    expect(opened.hasMore).toBe(true);
    const seen = [...opened.messages];
    let before = seen[0]?.seq;
    for (let more = opened.hasMore; more; ) {
      const page = await a.s.request({ type: 'history', room, before });
      if (page.type !== 'history') throw new Error(JSON.stringify(page));
      expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThanOrEqual(limits.replyMaxBytes);
      seen.unshift(...page.messages);
      before = page.messages[0]?.seq;
      more = page.hasMore;
    }
    expect(seen.map((m) => m.seq)).toEqual(sent.map((m) => m.seq));
  });

  it('never lets a removed member receive a message sent after the removal was acknowledged, nor a new one see earlier ones', async () => {
    for (let round = 0; round < 3; round++) {
      const crowd = await people(3);
      const [a, b, c] = crowd as [Person, Person, Person];
      const [d] = (await people(1)) as [Person];
      const room = await groupOf(crowd);
      let removedAt = Number.POSITIVE_INFINITY;
      let addedAt = Number.POSITIVE_INFINITY;
      const sends: { startedAt: number; message: Message }[] = [];
      const flood = (async () => {
        for (let i = 0; i < 30; i++) {
          const startedAt = performance.now();
          sends.push({ startedAt, message: await send(i % 2 ? a : b, room, `m${i}`) });
        }
      })();
      const changes = (async () => {
        await new Promise((r) => setTimeout(r, 5));
        await groupReply(a.s, { type: 'group.remove', room, userId: c.user.id });
        removedAt = performance.now();
        await groupReply(a.s, { type: 'group.add', room, usernames: [d.user.username] });
        addedAt = performance.now();
      })();
      await Promise.all([flood, changes]);
      const last = await send(a, room, 'the end');
      await b.s.next(messageEvent(last.seq));
      await d.s.next(messageEvent(last.seq));
      await new Promise((r) => setTimeout(r, 100));
      const afterRemoval = new Set(
        sends.filter((x) => x.startedAt > removedAt).map((x) => x.message.seq),
      );
      afterRemoval.add(last.seq);
      const toCarol = c.s.frames.flatMap((f) => (f.type === 'message' ? [f.message.seq] : []));
      expect(toCarol.filter((s) => afterRemoval.has(s))).toEqual([]);
      // Dave: nothing created before his join, live or read back.
      const joinedAt = (await groupReply(d.s, { type: 'group.get', room })).members.find(
        (m) => m.id === d.user.id,
      )?.joinedAt;
      const toDave = d.s.frames.flatMap((f) => (f.type === 'message' ? [f.message] : []));
      const history = await d.s.request({ type: 'history', room, limit: 100 });
      if (history.type !== 'history') throw new Error(JSON.stringify(history));
      for (const m of [...toDave, ...history.messages, last]) {
        expect(m.createdAt).toBeGreaterThanOrEqual(joinedAt ?? Number.POSITIVE_INFINITY);
      }
      // Every message sent after the add was acknowledged reaches him.
      const afterAdd = sends.filter((x) => x.startedAt > addedAt).map((x) => x.message.seq);
      const seqs = new Set([...toDave.map((m) => m.seq), last.seq]);
      for (const s of afterAdd) expect(seqs.has(s)).toBe(true);
    }
  }, 60_000);

  it('lists at most 100 groups in chats, with hasMore when there are others', async () => {
    const [a] = (await people(1)) as [Person];
    const made: string[] = [];
    for (let i = 0; i < 101; i++) {
      made.push(
        (await groupReply(a.s, { type: 'group.create', name: `g${i}`, usernames: [] })).room,
      );
    }
    const chats = await a.s.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error(JSON.stringify(chats));
    expect(chats.chats).toHaveLength(100);
    expect(chats.hasMore).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(chats))).toBeLessThanOrEqual(limits.replyMaxBytes);
    const listed = new Set(chats.chats.map((c) => c.room));
    expect(made.filter((r) => !listed.has(r))).toHaveLength(1);
  });

  it('answers fuzzed group-room frames only with documented frames, and keeps serving', async () => {
    const crowd = await people(2);
    const [a] = crowd as [Person];
    const room = await groupOf(crowd);
    const m = await send(a, room, 'fuzz me');
    const roomArb = fc.oneof(
      fc.constant(room),
      fc.constant(unknownRoom),
      fc.uuid().map((u) => `g:${u}`),
      fc.string({ maxLength: 50 }),
    );
    const seqArb = fc.oneof(fc.constant(m.seq), fc.integer(), fc.double(), fc.string());
    const frameArb = fc.oneof(
      fc.record({ type: fc.constant('group.open'), room: roomArb }),
      fc.record({
        type: fc.constant('send'),
        room: roomArb,
        text: fc.string({ maxLength: 30 }),
        clientMsgId: fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/),
        ttl: fc.option(fc.constantFrom(10_000, 60_000, 5, -1), { nil: undefined }),
        burn: fc.option(fc.constantFrom(5_000, 1, 10_000_000), { nil: undefined }),
      }),
      fc.record({ type: fc.constant('read'), room: roomArb, seq: seqArb }),
      fc.record({ type: fc.constant('history'), room: roomArb, before: seqArb }),
      fc.record({ type: fc.constant('resume'), room: roomArb, after: seqArb }),
      fc.record({ type: fc.constant('unsend'), room: roomArb, seq: seqArb }),
      fc.record({
        type: fc.constant('settings'),
        room: roomArb,
        ttl: fc.option(fc.constantFrom(10_000, 60_000, 7), { nil: undefined }),
        burn: fc.option(fc.constantFrom(null, 5_000, 3), { nil: undefined }),
      }),
      fc.record({ type: fc.constant('group.open'), room: roomArb, extra: fc.jsonValue() }),
    );
    const documented = new Set([
      'validation_failed',
      'forbidden',
      'not_found',
      'not_admin',
      'message_too_long',
      'rate_limited',
    ]);
    await fc.assert(
      fc.asyncProperty(frameArb, async (frame) => {
        const reply = await a.s.request(frame as Record<string, unknown>);
        expect(serverFrameSchema.safeParse(reply).success).toBe(true);
        if (reply.type === 'error') {
          expect(documented.has(reply.error.code), reply.error.code).toBe(true);
          const parsed = clientFrameSchema.safeParse({ ...frame, id: 1 });
          if (!parsed.success) expect(reply.error.code).toBe('validation_failed');
        }
        expect((await a.s.request({ type: 'ping' })).type).toBe('pong');
      }),
      { numRuns: 150 },
    );
  });
});
