import type { Group, Message, ServerFrame } from '@ephemeral-chat/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connected } from '../test/helpers/scripted-client.js';

const groupRoom = 'g:00000000-0000-4000-8000-000000000001';
const T0 = 1_700_000_000_000;

function group(members: [id: string, admin: boolean, joinedAt?: number][], name = 'crew'): Group {
  return {
    room: groupRoom,
    name,
    createdAt: T0 - 1000,
    members: members.map(([id, admin, joinedAt = T0 - 1000]) => ({
      id,
      username: `user_${id}`,
      admin,
      joinedAt,
    })),
  };
}

function gm(seq: number, from = 'u2', at = T0): Message {
  return {
    room: groupRoom,
    seq,
    from,
    text: `g${seq}`,
    clientMsgId: `c${seq}`,
    createdAt: at,
    ttl: 60_000,
    expiresAt: at + 60_000,
  };
}

/** A scripted client (user u1) with the group of u1 (admin), u2 and u3 open. */
async function openedGroup(opened: Partial<Extract<ServerFrame, { type: 'group.opened' }>> = {}) {
  const ctx = await connected({ autoDelivered: false });
  const opening = ctx.client.openGroup(groupRoom);
  ctx.socket().push({
    type: 'group.opened',
    id: ctx.socket().last('group.open').id,
    room: groupRoom,
    group: group([
      ['u1', true],
      ['u2', false],
      ['u3', false],
    ]),
    messages: [gm(1), gm(2, 'u1'), gm(3, 'u3')],
    hasMore: false,
    unread: 1,
    reads: [
      { userId: 'u1', seq: 2 },
      { userId: 'u2', seq: 2 },
      { userId: 'u3', seq: 0 },
    ],
    online: ['u2'],
    settings: { ttl: 300_000 },
    ...opened,
  });
  return { ...ctx, group: await opening };
}

describe('group chats on a scripted server', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens a group with its members, counts, settings, online members and read seqs', async () => {
    const { client, group: g } = await openedGroup();
    expect(g.group.name).toBe('crew');
    expect(g.members.map((m) => m.id)).toEqual(['u1', 'u2', 'u3']);
    expect(g.admin).toBe(true);
    expect(g.unread).toBe(1);
    expect(g.settings).toEqual({ ttl: 300_000 });
    expect([...g.online]).toEqual(['u2']);
    expect(g.messages().map((m) => m.seq)).toEqual([1, 2, 3]);
    // The same object on every open.
    const again = client.openGroup(groupRoom);
    expect(await Promise.race([again.then(() => 'settled'), Promise.resolve('pending')])).toBe(
      'pending',
    );
    client.disconnect();
    await again.catch(() => {});
  });

  it('counts "seen by k of n" from read events, leaving out the sender and later members', async () => {
    const { client, socket, group: g } = await openedGroup();
    const own = g.messages().find((m) => m.seq === 2);
    if (!own) throw new Error('no own message');
    expect(g.audience(own)).toEqual(['u2', 'u3']);
    expect(g.seenBy(own)).toEqual(['u2']);
    const reads: string[] = [];
    g.on('read', (e) => reads.push(`${e.userId} ${e.seq} seen ${g.seenBy(own).length}`));
    socket().push({ type: 'read', room: groupRoom, userId: 'u3', seq: 3 });
    expect(g.seenBy(own)).toEqual(['u2', 'u3']);
    expect(reads).toEqual(['u3 3 seen 2']);
    // Never backwards.
    socket().push({ type: 'read', room: groupRoom, userId: 'u3', seq: 1 });
    expect(g.reads.get('u3')).toBe(3);
    // A member who joined after the message was sent is not in its audience.
    socket().push({
      type: 'group.changed',
      room: groupRoom,
      group: group([
        ['u1', true],
        ['u2', false],
        ['u3', false],
        ['u4', false, T0 + 5],
      ]),
      change: { kind: 'added', by: 'u1', userIds: ['u4'] },
      at: T0 + 5,
    });
    expect(g.audience(own)).toEqual(['u2', 'u3']);
    client.disconnect();
  });

  it("counts others' messages as unread and the user's own read (on any device) as clearing them", async () => {
    const { client, socket, group: g } = await openedGroup();
    socket().push({ type: 'message', message: gm(4, 'u2') });
    socket().push({ type: 'message', message: gm(5, 'u3') });
    expect(g.unread).toBe(3);
    // Read on another device of the user's.
    socket().push({ type: 'read', room: groupRoom, userId: 'u1', seq: 4 });
    expect(g.unread).toBe(1);
    const marking = g.markRead();
    expect(socket().last('read')).toMatchObject({ room: groupRoom, seq: 5 });
    socket().push({
      type: 'read',
      id: socket().last('read').id,
      room: groupRoom,
      userId: 'u1',
      seq: 5,
    });
    expect(await marking).toBe(5);
    expect(g.unread).toBe(0);
    // The user's own message reads the chat.
    socket().push({ type: 'message', message: gm(6, 'u2') });
    socket().push({ type: 'message', message: gm(7, 'u1') });
    expect(g.unread).toBe(0);
    client.disconnect();
  });

  it('sends no delivery receipts for group messages', async () => {
    const { client, socket } = await openedGroup();
    client.disconnect();
    const ctx = await connected({ autoDelivered: true });
    const opening = ctx.client.openGroup(groupRoom);
    ctx.socket().push({
      type: 'group.opened',
      id: ctx.socket().last('group.open').id,
      room: groupRoom,
      group: group([
        ['u1', true],
        ['u2', false],
      ]),
      messages: [],
      hasMore: false,
      unread: 0,
      reads: [],
      online: [],
      settings: {},
    });
    await opening;
    ctx.socket().push({ type: 'message', message: gm(1, 'u2') });
    await vi.advanceTimersByTimeAsync(500);
    expect(ctx.socket().sent.filter((f) => f.type === 'delivered' && f.room === groupRoom)).toEqual(
      [],
    );
    expect(socket().sent.length).toBeGreaterThan(0);
    ctx.client.disconnect();
  });

  it('updates the group on a change before anyone hears of it', async () => {
    const { client, socket, group: g } = await openedGroup();
    const seen: string[] = [];
    client.on('group', (e) => seen.push(`client ${e.change.kind} ${g.group.name}`));
    g.on('group', (e) => seen.push(`chat ${e.change.kind} ${g.group.name}`));
    socket().push({
      type: 'group.changed',
      room: groupRoom,
      group: group(
        [
          ['u1', true],
          ['u2', false],
        ],
        'new name',
      ),
      change: { kind: 'renamed', by: 'u1', name: 'new name' },
      at: T0 + 1,
    });
    expect(seen).toEqual(['client renamed new name', 'chat renamed new name']);
    client.disconnect();
  });

  it('drops the group and its messages, silently, when the user is removed', async () => {
    const { client, socket, group: g } = await openedGroup();
    const events: string[] = [];
    client.on('left', (e) => events.push(`client left ${e.room === groupRoom}`));
    g.on('left', () => events.push('chat left'));
    client.on('expired', (m) => m.room === groupRoom && events.push(`expired ${m.seq}`));
    socket().push({
      type: 'group.changed',
      room: groupRoom,
      change: { kind: 'removed', by: 'u2', userIds: ['u1'] },
      at: T0 + 1,
    });
    expect(events).toEqual(['chat left', 'client left true']);
    expect(g.active).toBe(false);
    expect(g.messages()).toEqual([]);
    // Their expiries pass without a word.
    await vi.advanceTimersByTimeAsync(61_000);
    expect(events).toHaveLength(2);
    client.disconnect();
  });

  it('reports leaving once, whether the reply or the event comes first', async () => {
    for (const eventFirst of [false, true]) {
      const { client, socket, group: g } = await openedGroup();
      let left = 0;
      client.on('left', () => left++);
      const leaving = g.leave();
      const id = socket().last('group.leave').id;
      const event = () =>
        socket().push({
          type: 'group.changed',
          room: groupRoom,
          change: { kind: 'left', by: 'u1', userIds: ['u1'] },
          at: T0 + 1,
        });
      if (eventFirst) event();
      socket().push({ type: 'group.left', id, room: groupRoom });
      await leaving;
      if (!eventFirst) event();
      expect(left).toBe(1);
      expect(g.messages()).toEqual([]);
      client.disconnect();
    }
  });

  it('re-opens its groups after a reconnect, and drops one the user was removed from meanwhile', async () => {
    const { client, group: g, reconnect } = await openedGroup();
    let left = 0;
    client.on('left', () => left++);
    const s = await reconnect();
    s.welcome();
    await vi.advanceTimersByTimeAsync(0);
    s.push({
      type: 'error',
      id: s.last('group.open').id,
      error: { code: 'forbidden', message: 'Not a member.' },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(left).toBe(1);
    expect(g.active).toBe(false);
    expect(g.messages()).toEqual([]);
    client.disconnect();
  });

  it('keeps the online members current from presence events', async () => {
    const { client, socket, group: g } = await openedGroup();
    socket().push({ type: 'presence.changed', userId: 'u3', online: true });
    socket().push({ type: 'presence.changed', userId: 'u2', online: false });
    socket().push({ type: 'presence.changed', userId: 'u9', online: true });
    expect([...g.online]).toEqual(['u3']);
    client.disconnect();
  });

  it('lists groups beside 1:1 chats, pages through every group, and updates from admin replies', async () => {
    const { client, socket, group: g } = await openedGroup();
    const listing = client.chats();
    socket().push({
      type: 'chats',
      id: socket().last('chats').id,
      chats: [
        {
          room: groupRoom,
          group: { name: 'crew', memberCount: 3, admin: true },
          last: gm(3, 'u3'),
          unread: 2,
        },
      ],
      hasMore: false,
    });
    const list = await listing;
    expect(list).toHaveLength(1);
    expect(list[0] && 'group' in list[0] && list[0].group.name).toBe('crew');
    expect(g.unread).toBe(2);

    const paging = client.groups();
    const summary = (n: number) => ({
      room: `g:00000000-0000-4000-8000-00000000000${n}`,
      name: `g${n}`,
      createdAt: T0,
      memberCount: 2,
      admin: false,
    });
    socket().push({
      type: 'groups',
      id: socket().last('groups').id,
      groups: [summary(1)],
      hasMore: true,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(socket().last('groups').after).toBe(summary(1).room);
    socket().push({
      type: 'groups',
      id: socket().last('groups').id,
      groups: [summary(2)],
      hasMore: false,
    });
    expect((await paging).map((x) => x.name)).toEqual(['g1', 'g2']);

    const renaming = g.rename('better');
    const renamed = group([['u1', true]], 'better');
    socket().push({ type: 'group', id: socket().last('group.rename').id, group: renamed });
    expect((await renaming).name).toBe('better');
    expect(g.group.name).toBe('better');
    // The members who left take their read seqs along.
    expect([...g.reads.keys()]).toEqual(['u1']);
    client.disconnect();
  });
});
