import type { Message, ServerFrame } from '@ephemeral-chat/protocol';
import { type NodeProcess, registerAt as register, type TestSocket } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { changed, errorCode, groupReply } from './helpers/groups.js';
import { useTwoNodes } from './helpers/two-nodes.js';

// Group messages across two nodes on one Redis and PostgreSQL: one stored copy, every member's
// sockets on both nodes get it exactly once, a removed member gets nothing sent after the removal
// is acknowledged, and a new member sees nothing sent before joining.

// Each test registers its own users: more than one address may register per hour by default.
const nodes = useTwoNodes({ REGISTER_MAX_PER_IP: '1000' });
const authed = (node: NodeProcess, token: string) => nodes.authed(node, token);

async function send(s: TestSocket, room: string, text: string): Promise<Message> {
  const reply = await s.request({ type: 'send', room, text, clientMsgId: crypto.randomUUID() });
  if (reply.type !== 'ack') throw new Error(`expected ack, got ${JSON.stringify(reply)}`);
  return reply.message;
}

function messagesIn(frames: readonly ServerFrame[], room: string): Message[] {
  return frames.flatMap((f) =>
    f.type === 'message' && f.message.room === room ? [f.message] : [],
  );
}

describe('group messages across two nodes', () => {
  it('reaches every member socket on both nodes once, and nobody outside', async () => {
    const [alice, bob, carol, eve] = await Promise.all([
      register(nodes.a.url, 'alice'),
      register(nodes.b.url, 'bob'),
      register(nodes.b.url, 'carol'),
      register(nodes.a.url, 'eve'),
    ]);
    const a = await authed(nodes.a, alice.token);
    const b1 = await authed(nodes.b, bob.token);
    const b2 = await authed(nodes.a, bob.token);
    const c = await authed(nodes.b, carol.token);
    const e = await authed(nodes.a, eve.token);
    const group = await groupReply(a, {
      type: 'group.create',
      name: 'Both nodes',
      usernames: [bob.username, carol.username],
    });
    const room = group.room;
    await Promise.all([changed(b1, room), changed(b2, room), changed(c, room)]);

    const sent = await send(a, room, 'hello group');
    for (const s of [a, b1, b2, c]) {
      const got = await s.next((f) => f.type === 'message' && f.message.seq === sent.seq);
      expect(got).toEqual({ type: 'message', message: sent });
    }
    // A later frame on every socket proves the earlier one came once (next() takes what it
    // matches: a duplicate would be left over).
    const second = await send(c, room, 'second');
    for (const s of [a, b1, b2, c]) {
      await s.next((f) => f.type === 'message' && f.message.seq === second.seq);
      expect(messagesIn(s.frames, room)).toEqual([]);
    }
    expect(messagesIn(e.frames, room)).toEqual([]);
    for (const frame of [
      { type: 'send', room, text: 'let me in', clientMsgId: 'x1' },
      { type: 'history', room },
      { type: 'resume', room, after: 0 },
      { type: 'read', room, seq: second.seq },
      { type: 'group.open', room },
      { type: 'unsend', room, seq: sent.seq },
      { type: 'settings', room, ttl: 60_000 },
    ]) {
      expect(await errorCode(e, frame)).toBe('forbidden');
    }
  }, 30_000);

  it('stops at the removal: the removed member gets nothing sent after it was acknowledged', async () => {
    const [alice, bob, carol] = await Promise.all([
      register(nodes.a.url, 'alice'),
      register(nodes.b.url, 'bob'),
      register(nodes.b.url, 'carol'),
    ]);
    const a = await authed(nodes.a, alice.token);
    const b = await authed(nodes.b, bob.token);
    const c = await authed(nodes.b, carol.token);
    const { room } = await groupReply(a, {
      type: 'group.create',
      name: 'Removal',
      usernames: [bob.username, carol.username],
    });
    await Promise.all([changed(b, room), changed(c, room)]);
    const before = await send(a, room, 'before');
    await c.next((f) => f.type === 'message' && f.message.seq === before.seq);
    await groupReply(a, { type: 'group.remove', room, userId: carol.id });
    // Sent right after the acknowledgement, from both nodes.
    const after = await Promise.all([send(a, room, 'after a'), send(b, room, 'after b')]);
    const last = await send(b, room, 'last');
    await b.next((f) => f.type === 'message' && f.message.seq === last.seq);
    await c.next((f) => f.type === 'group.changed' && f.room === room);
    await new Promise((r) => setTimeout(r, 200));
    expect(messagesIn(c.frames, room)).toEqual([]);
    expect(await errorCode(c, { type: 'history', room })).toBe('forbidden');
    expect(after.length).toBe(2);
  }, 30_000);

  it('shows a new member nothing sent before they joined, and counts only what came after as unread', async () => {
    const [alice, bob, dave] = await Promise.all([
      register(nodes.a.url, 'alice'),
      register(nodes.b.url, 'bob'),
      register(nodes.b.url, 'dave'),
    ]);
    const a = await authed(nodes.a, alice.token);
    const d = await authed(nodes.b, dave.token);
    const { room } = await groupReply(a, {
      type: 'group.create',
      name: 'Late joiner',
      usernames: [bob.username],
    });
    await send(a, room, 'old one');
    await send(a, room, 'old two');
    await groupReply(a, { type: 'group.add', room, usernames: [dave.username] });
    await changed(d, room, 'added');
    const fresh = await send(a, room, 'welcome dave');
    await d.next((f) => f.type === 'message' && f.message.seq === fresh.seq);
    const opened = await d.request({ type: 'group.open', room });
    if (opened.type !== 'group.opened') throw new Error(JSON.stringify(opened));
    expect(opened.messages.map((m) => m.text)).toEqual(['welcome dave']);
    expect(opened.hasMore).toBe(false);
    expect(opened.unread).toBe(1);
    const resumed = await d.request({ type: 'resume', room, after: 0 });
    expect(resumed).toMatchObject({ type: 'resumed', messages: [fresh], hasMore: false });
    const history = await d.request({ type: 'history', room });
    expect(history).toMatchObject({ type: 'history', messages: [fresh], hasMore: false });
    const chats = await d.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error(JSON.stringify(chats));
    expect(chats.chats).toEqual([
      {
        room,
        group: { name: 'Late joiner', memberCount: 3, admin: false },
        last: fresh,
        unread: 1,
      },
    ]);
  }, 30_000);

  it('holds both rules while a removal and an add race sends from both nodes', async () => {
    for (let round = 0; round < 3; round++) {
      const [alice, bob, carol, dave] = await Promise.all([
        register(nodes.a.url, 'alice'),
        register(nodes.b.url, 'bob'),
        register(nodes.b.url, 'carol'),
        register(nodes.b.url, 'dave'),
      ]);
      const a = await authed(nodes.a, alice.token);
      const b = await authed(nodes.b, bob.token);
      const c = await authed(nodes.b, carol.token);
      const d = await authed(nodes.b, dave.token);
      const { room } = await groupReply(a, {
        type: 'group.create',
        name: 'Race',
        usernames: [bob.username, carol.username],
      });
      await Promise.all([changed(b, room), changed(c, room)]);
      let removedAt = Number.POSITIVE_INFINITY;
      let addedAt = Number.POSITIVE_INFINITY;
      const sends: { startedAt: number; message: Message }[] = [];
      const flood = async (s: TestSocket, tag: string) => {
        for (let i = 0; i < 8; i++) {
          const startedAt = performance.now();
          sends.push({ startedAt, message: await send(s, room, `${tag}${i}`) });
        }
      };
      const changes = (async () => {
        await new Promise((r) => setTimeout(r, 5));
        await groupReply(a, { type: 'group.remove', room, userId: carol.id });
        removedAt = performance.now();
        await groupReply(a, { type: 'group.add', room, usernames: [dave.username] });
        addedAt = performance.now();
      })();
      await Promise.all([flood(a, 'a'), flood(b, 'b'), changes]);
      const last = await send(a, room, 'the end');
      await b.next((f) => f.type === 'message' && f.message.seq === last.seq);
      await d.next((f) => f.type === 'message' && f.message.seq === last.seq);
      await new Promise((r) => setTimeout(r, 100));
      const late = new Set(sends.filter((x) => x.startedAt > removedAt).map((x) => x.message.seq));
      late.add(last.seq);
      expect(messagesIn(c.frames, room).filter((m) => late.has(m.seq))).toEqual([]);
      const joinedAt = (await groupReply(d, { type: 'group.get', room })).members.find(
        (m) => m.id === dave.id,
      )?.joinedAt;
      const history = await d.request({ type: 'history', room, limit: 100 });
      if (history.type !== 'history') throw new Error(JSON.stringify(history));
      for (const m of [...messagesIn(d.frames, room), ...history.messages]) {
        expect(m.createdAt).toBeGreaterThanOrEqual(joinedAt ?? Number.POSITIVE_INFINITY);
      }
      const toDave = new Set([...messagesIn(d.frames, room).map((m) => m.seq), last.seq]);
      for (const x of sends)
        if (x.startedAt > addedAt) expect(toDave.has(x.message.seq)).toBe(true);
    }
  }, 60_000);
});
