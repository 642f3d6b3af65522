import { clientFrameSchema, serverFrameSchema } from '@ephemeral-chat/protocol';
import { TestSocket } from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changed, errorCode, groupReply } from './helpers/groups.js';
import { serverSetups, usePeopleServer } from './helpers/people.js';

// Group management over real sockets on both engines: every frame, outsiders, non-members,
// non-admins, limits, races and fuzzed input. Messages in groups: ws-group-messages.test.ts.

const MAX_MEMBERS = 4;
const MAX_GROUPS = 3;
const unknownRoom = 'g:00000000-0000-4000-8000-000000000000';

describe.each(serverSetups)('groups with $name', (setup) => {
  const env = {
    GROUP_MAX_MEMBERS: String(MAX_MEMBERS),
    GROUPS_MAX_PER_USER: String(MAX_GROUPS),
    WS_FRAME_BURST: '2000',
    WS_FRAME_RATE: '1000',
  };
  // Fresh users in each test (the per-user group cap is small) and their sockets.
  const ctx = usePeopleServer(setup, env, 'g');
  const { people, keep } = ctx;

  it('answers every group frame with auth_required before authentication', async () => {
    const s = keep(await TestSocket.connect(ctx.server.url));
    const frames = [
      { type: 'group.create', name: 'x', usernames: [] },
      { type: 'group.add', room: unknownRoom, usernames: ['abc'] },
      { type: 'group.remove', room: unknownRoom, userId: 'u' },
      { type: 'group.leave', room: unknownRoom },
      { type: 'group.rename', room: unknownRoom, name: 'x' },
      { type: 'group.admin', room: unknownRoom, userId: 'u', admin: true },
      { type: 'group.get', room: unknownRoom },
      { type: 'groups' },
    ];
    for (const frame of frames) expect(await errorCode(s, frame), frame.type).toBe('auth_required');
  });

  it('creates a group: the creator is admin, every member hears of it on every connection', async () => {
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('people');
    const a2 = keep(await TestSocket.authed(ctx.server.url, a.user.token));
    const group = await groupReply(a.s, {
      type: 'group.create',
      name: 'Team 😀',
      usernames: [b.user.username.toUpperCase(), c.user.username, a.user.username],
    });
    expect(group.room).toMatch(/^g:[0-9a-f-]{36}$/);
    expect(group.name).toBe('Team 😀');
    expect(group.members).toEqual([
      { id: a.user.id, username: a.user.username, admin: true, joinedAt: expect.any(Number) },
      { id: b.user.id, username: b.user.username, admin: false, joinedAt: expect.any(Number) },
      { id: c.user.id, username: c.user.username, admin: false, joinedAt: expect.any(Number) },
    ]);
    for (const s of [a.s, a2, b.s, c.s]) {
      const event = await changed(s, group.room, 'created');
      expect(event.group).toEqual(group);
      expect(event.change).toEqual({
        kind: 'created',
        by: a.user.id,
        userIds: [a.user.id, b.user.id, c.user.id],
        name: 'Team 😀',
      });
    }
    expect(await groupReply(b.s, { type: 'group.get', room: group.room })).toEqual(group);
    const list = await b.s.request({ type: 'groups' });
    expect(list).toMatchObject({
      type: 'groups',
      hasMore: false,
      groups: [{ room: group.room, name: 'Team 😀', memberCount: 3, admin: false }],
    });
  });

  it('creates nothing when a username is unknown', async () => {
    const [a, b] = await people(2);
    if (!a || !b) throw new Error('people');
    const code = await errorCode(a.s, {
      type: 'group.create',
      name: 'x',
      usernames: [b.user.username, 'no_such_user_zz'],
    });
    expect(code).toBe('user_not_found');
    expect(await a.s.request({ type: 'groups' })).toMatchObject({ groups: [], hasMore: false });
    expect(await b.s.request({ type: 'groups' })).toMatchObject({ groups: [], hasMore: false });
  });

  it('refuses names and rooms that do not parse with validation_failed', async () => {
    const [a] = await people(1);
    if (!a) throw new Error('people');
    for (const name of ['', ' \u200b ', 'x'.repeat(65), 'a\nb', '\u202e']) {
      expect(await errorCode(a.s, { type: 'group.create', name, usernames: [] }), name).toBe(
        'validation_failed',
      );
    }
    const dm = `dm:${a.user.id}:zzzz`;
    expect(await errorCode(a.s, { type: 'group.get', room: dm })).toBe('validation_failed');
    expect(await errorCode(a.s, { type: 'group.get', room: 'g:not-a-uuid' })).toBe(
      'validation_failed',
    );
  });

  it('answers forbidden to a non-member on every group frame, whether or not the group exists', async () => {
    const [a, b, out] = await people(3);
    if (!a || !b || !out) throw new Error('people');
    const group = await groupReply(a.s, {
      type: 'group.create',
      name: 'closed',
      usernames: [b.user.username],
    });
    for (const room of [group.room, unknownRoom]) {
      const frames = [
        { type: 'group.add', room, usernames: [out.user.username] },
        { type: 'group.remove', room, userId: b.user.id },
        { type: 'group.leave', room },
        { type: 'group.rename', room, name: 'mine' },
        { type: 'group.admin', room, userId: out.user.id, admin: true },
        { type: 'group.get', room },
      ];
      for (const frame of frames)
        expect(await errorCode(out.s, frame), frame.type).toBe('forbidden');
    }
    expect((await groupReply(a.s, { type: 'group.get', room: group.room })).name).toBe('closed');
  });

  it('answers not_admin to a member who is not an admin, changing nothing', async () => {
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('people');
    const group = await groupReply(a.s, {
      type: 'group.create',
      name: 'ruled',
      usernames: [b.user.username],
    });
    const room = group.room;
    const frames = [
      { type: 'group.add', room, usernames: [c.user.username] },
      { type: 'group.remove', room, userId: a.user.id },
      { type: 'group.rename', room, name: 'coup' },
      { type: 'group.admin', room, userId: b.user.id, admin: true },
    ];
    for (const frame of frames) expect(await errorCode(b.s, frame), frame.type).toBe('not_admin');
    expect(await groupReply(a.s, { type: 'group.get', room })).toEqual(group);
  });

  it('adds members; the limit refuses an add that would pass it, adding nobody', async () => {
    const [a, b, c, d, e] = await people(5);
    if (!a || !b || !c || !d || !e) throw new Error('people');
    const group = await groupReply(a.s, { type: 'group.create', name: 'g', usernames: [] });
    const after = await groupReply(a.s, {
      type: 'group.add',
      room: group.room,
      usernames: [b.user.username, c.user.username],
    });
    expect(after.members.map((m) => m.id)).toEqual([a.user.id, b.user.id, c.user.id]);
    const event = await changed(b.s, group.room, 'added');
    expect(event.change).toEqual({ kind: 'added', by: a.user.id, userIds: [b.user.id, c.user.id] });
    expect(event.group).toEqual(after);
    expect(
      await errorCode(a.s, {
        type: 'group.add',
        room: group.room,
        usernames: [d.user.username, e.user.username],
      }),
    ).toBe('group_full');
    expect(
      await errorCode(a.s, {
        type: 'group.add',
        room: group.room,
        usernames: [d.user.username, 'nobody_here_zz'],
      }),
    ).toBe('user_not_found');
    expect(await groupReply(a.s, { type: 'group.get', room: group.room })).toEqual(after);
  });

  it('refuses a group past a member’s group cap with too_many_groups', async () => {
    const [a, b] = await people(2);
    if (!a || !b) throw new Error('people');
    for (let i = 0; i < MAX_GROUPS; i++) {
      await groupReply(b.s, { type: 'group.create', name: `own ${i}`, usernames: [] });
    }
    expect(
      await errorCode(a.s, { type: 'group.create', name: 'x', usernames: [b.user.username] }),
    ).toBe('too_many_groups');
    expect(await errorCode(b.s, { type: 'group.create', name: 'y', usernames: [] })).toBe(
      'too_many_groups',
    );
  });

  it('removes a member, who hears it once without the group and then nothing more', async () => {
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('people');
    const group = await groupReply(a.s, {
      type: 'group.create',
      name: 'g',
      usernames: [b.user.username, c.user.username],
    });
    await changed(c.s, group.room, 'created');
    const after = await groupReply(a.s, {
      type: 'group.remove',
      room: group.room,
      userId: c.user.id,
    });
    expect(after.members.map((m) => m.id)).toEqual([a.user.id, b.user.id]);
    const gone = await changed(c.s, group.room, 'removed');
    expect(gone.group).toBeUndefined();
    expect(gone.change).toEqual({ kind: 'removed', by: a.user.id, userIds: [c.user.id] });
    expect((await changed(b.s, group.room, 'removed')).group).toEqual(after);
    expect(await errorCode(c.s, { type: 'group.get', room: group.room })).toBe('forbidden');
    await groupReply(a.s, { type: 'group.rename', room: group.room, name: 'later' });
    await changed(b.s, group.room, 'renamed');
    // b heard the rename, so c would have by now: c heard nothing after its removal.
    await c.s.request({ type: 'ping' });
    expect(c.s.frames.filter((f) => f.type === 'group.changed')).toEqual([]);
    expect(
      await errorCode(a.s, { type: 'group.remove', room: group.room, userId: c.user.id }),
    ).toBe('not_found');
    expect(
      await errorCode(a.s, { type: 'group.remove', room: group.room, userId: a.user.id }),
    ).toBe('validation_failed');
  });

  it('makes the longest-standing member admin when the last admin leaves, and deletes an empty group', async () => {
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('people');
    const group = await groupReply(a.s, {
      type: 'group.create',
      name: 'g',
      usernames: [c.user.username, b.user.username],
    });
    expect(await a.s.request({ type: 'group.leave', room: group.room })).toMatchObject({
      type: 'group.left',
      room: group.room,
    });
    const left = await changed(a.s, group.room, 'left');
    expect(left.group).toBeUndefined();
    const seen = await changed(b.s, group.room, 'left');
    expect(seen.group?.members).toEqual([
      { id: c.user.id, username: c.user.username, admin: true, joinedAt: expect.any(Number) },
      { id: b.user.id, username: b.user.username, admin: false, joinedAt: expect.any(Number) },
    ]);
    await c.s.request({ type: 'group.leave', room: group.room });
    await b.s.request({ type: 'group.leave', room: group.room });
    expect(await errorCode(b.s, { type: 'group.get', room: group.room })).toBe('forbidden');
    expect(await b.s.request({ type: 'groups' })).toMatchObject({ groups: [] });
    expect(await errorCode(b.s, { type: 'group.leave', room: group.room })).toBe('forbidden');
  });

  it('renames, promotes and demotes, but never demotes the last admin', async () => {
    const [a, b] = await people(2);
    if (!a || !b) throw new Error('people');
    const group = await groupReply(a.s, {
      type: 'group.create',
      name: 'g',
      usernames: [b.user.username],
    });
    const room = group.room;
    expect((await groupReply(a.s, { type: 'group.rename', room, name: 'New name' })).name).toBe(
      'New name',
    );
    expect((await changed(b.s, room, 'renamed')).change).toEqual({
      kind: 'renamed',
      by: a.user.id,
      name: 'New name',
    });
    expect(
      await errorCode(a.s, { type: 'group.admin', room, userId: a.user.id, admin: false }),
    ).toBe('validation_failed');
    const promoted = await groupReply(a.s, {
      type: 'group.admin',
      room,
      userId: b.user.id,
      admin: true,
    });
    expect(promoted.members.every((m) => m.admin)).toBe(true);
    expect((await changed(b.s, room, 'admin')).change).toEqual({
      kind: 'admin',
      by: a.user.id,
      userIds: [b.user.id],
      admin: true,
    });
    const demoted = await groupReply(b.s, {
      type: 'group.admin',
      room,
      userId: a.user.id,
      admin: false,
    });
    expect(demoted.members.map((m) => m.admin)).toEqual([false, true]);
    expect(await errorCode(a.s, { type: 'group.rename', room, name: 'x' })).toBe('not_admin');
  });

  it('lets only one of two admins adding at once fill the last place', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b, c, d, e] = await people(5);
      if (!a || !b || !c || !d || !e) throw new Error('people');
      const { room } = await groupReply(a.s, {
        type: 'group.create',
        name: 'race',
        usernames: [b.user.username, c.user.username],
      });
      await groupReply(a.s, { type: 'group.admin', room, userId: b.user.id, admin: true });
      const [x, y] = await Promise.all([
        a.s.request({ type: 'group.add', room, usernames: [d.user.username] }),
        b.s.request({ type: 'group.add', room, usernames: [e.user.username] }),
      ]);
      const types = [x?.type, y?.type].sort();
      expect(types).toEqual(['error', 'group']);
      const err = [x, y].find((r) => r?.type === 'error');
      expect(err).toMatchObject({ error: { code: 'group_full' } });
      expect((await groupReply(c.s, { type: 'group.get', room })).members).toHaveLength(
        MAX_MEMBERS,
      );
    }
  });

  it('holds the per-user cap when creates race', async () => {
    const crowd = await people(6);
    const [target, ...creators] = crowd;
    if (!target) throw new Error('people');
    const replies = await Promise.all(
      creators.map(({ s }) =>
        s.request({ type: 'group.create', name: 'race', usernames: [target.user.username] }),
      ),
    );
    expect(replies.filter((r) => r.type === 'group')).toHaveLength(MAX_GROUPS);
    expect(
      replies.filter((r) => r.type === 'error').map((r) => r.type === 'error' && r.error.code),
    ).toEqual(Array(creators.length - MAX_GROUPS).fill('too_many_groups'));
    const list = await target.s.request({ type: 'groups' });
    expect(list.type === 'groups' && list.groups.length).toBe(MAX_GROUPS);
  });

  it('answers fuzzed group frames only with documented frames, and keeps serving', async () => {
    const [a, b] = await people(2);
    if (!a || !b) throw new Error('people');
    const { room } = await groupReply(a.s, {
      type: 'group.create',
      name: 'fuzz',
      usernames: [b.user.username],
    });
    const roomArb = fc.oneof(
      fc.constant(room),
      fc.constant(unknownRoom),
      fc.uuid().map((u) => `g:${u}`),
      fc.string({ maxLength: 50 }),
    );
    const nameArb = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'grapheme', maxLength: 70 }),
    );
    const userArb = fc.oneof(
      fc.constantFrom(a.user.username, b.user.username),
      fc.stringMatching(/^[A-Za-z0-9_]{0,34}$/),
    );
    const idArb = fc.oneof(fc.constantFrom(a.user.id, b.user.id), fc.string({ maxLength: 70 }));
    const frameArb = fc.oneof(
      fc.record({
        type: fc.constant('group.create'),
        name: nameArb,
        usernames: fc.array(userArb, { maxLength: 6 }),
      }),
      fc.record({
        type: fc.constant('group.add'),
        room: roomArb,
        usernames: fc.array(userArb, { maxLength: 6 }),
      }),
      fc.record({ type: fc.constant('group.remove'), room: roomArb, userId: idArb }),
      fc.record({ type: fc.constant('group.rename'), room: roomArb, name: nameArb }),
      fc.record({
        type: fc.constant('group.admin'),
        room: roomArb,
        userId: idArb,
        admin: fc.anything(),
      }),
      fc.record({ type: fc.constant('group.get'), room: roomArb }),
      fc.record({ type: fc.constant('groups'), after: fc.option(roomArb, { nil: undefined }) }),
      fc.record({ type: fc.constant('group.leave'), room: fc.constant(unknownRoom) }),
      fc.record({
        type: fc.constantFrom('group.create', 'group.add', 'groups'),
        extra: fc.jsonValue(),
      }),
    );
    const documented = new Set([
      'validation_failed',
      'user_not_found',
      'forbidden',
      'not_admin',
      'not_found',
      'group_full',
      'too_many_groups',
      'rate_limited',
    ]);
    await fc.assert(
      fc.asyncProperty(frameArb, async (frame) => {
        const reply = await a.s.request(frame as Record<string, unknown>);
        expect(serverFrameSchema.safeParse(reply).success).toBe(true);
        const parsed = clientFrameSchema.safeParse({ ...frame, id: 1 });
        if (reply.type === 'error') {
          expect(documented.has(reply.error.code), reply.error.code).toBe(true);
          if (!parsed.success) expect(reply.error.code).toBe('validation_failed');
        } else {
          expect(parsed.success).toBe(true);
          const want = frame.type === 'groups' ? 'groups' : 'group';
          expect(reply.type).toBe(want);
        }
        // A valid frame between fuzzed ones: ten bad frames in a row close the socket (strikes).
        expect((await a.s.request({ type: 'ping' })).type).toBe('pong');
      }),
      { numRuns: 150 },
    );
    expect((await a.s.request({ type: 'ping' })).type).toBe('pong');
  });
});
