import { type NodeProcess, registerAt as register } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { changed, errorCode, groupReply } from './helpers/groups.js';
import { useTwoNodes } from './helpers/two-nodes.js';

// Group changes made on one node reach members on the other, and the other node's cache of the
// group is dropped before its sockets hear of the change (one Redis, one PostgreSQL).

const nodes = useTwoNodes();
const authed = (node: NodeProcess, token: string) => nodes.authed(node, token);

describe('groups across two nodes', () => {
  it('carries each change from node A to members on node B, whose cache answers the new state at once', async () => {
    const [alice, bob, carol, dave] = await Promise.all([
      register(nodes.a.url, 'alice'),
      register(nodes.b.url, 'bob'),
      register(nodes.b.url, 'carol'),
      register(nodes.a.url, 'dave'),
    ]);
    const a = await authed(nodes.a, alice.token);
    const b = await authed(nodes.b, bob.token);
    const c = await authed(nodes.b, carol.token);
    const d = await authed(nodes.b, dave.token);

    const group = await groupReply(a, {
      type: 'group.create',
      name: 'Across',
      usernames: [bob.username, carol.username],
    });
    const room = group.room;
    expect((await changed(b, room, 'created')).group).toEqual(group);
    // Node B reads the group once, so it is cached there from now on.
    expect(await groupReply(b, { type: 'group.get', room })).toEqual(group);
    expect(await groupReply(c, { type: 'group.get', room })).toEqual(group);

    await groupReply(a, { type: 'group.rename', room, name: 'Renamed on A' });
    expect((await changed(b, room, 'renamed')).group?.name).toBe('Renamed on A');
    expect((await groupReply(b, { type: 'group.get', room })).name).toBe('Renamed on A');

    await groupReply(a, { type: 'group.add', room, usernames: [dave.username] });
    expect((await changed(d, room, 'added')).change.userIds).toEqual([dave.id]);
    const seenByDave = await groupReply(d, { type: 'group.get', room });
    expect(seenByDave.members.map((m) => m.id)).toEqual([alice.id, bob.id, carol.id, dave.id]);

    await groupReply(a, { type: 'group.remove', room, userId: carol.id });
    const removed = await changed(c, room, 'removed');
    expect(removed.group).toBeUndefined();
    expect(await errorCode(c, { type: 'group.get', room })).toBe('forbidden');
    await changed(b, room, 'removed');
    const seenByBob = await groupReply(b, { type: 'group.get', room });
    expect(seenByBob.members.map((m) => m.id)).toEqual([alice.id, bob.id, dave.id]);

    await groupReply(a, { type: 'group.admin', room, userId: bob.id, admin: true });
    await changed(b, room, 'admin');
    const promoted = await groupReply(b, { type: 'group.get', room });
    expect(promoted.members.find((m) => m.id === bob.id)?.admin).toBe(true);
    // And back: a change on node B reaches node A.
    await groupReply(b, { type: 'group.rename', room, name: 'By Bob on B' });
    const back = await a.next(
      (f) => f.type === 'group.changed' && f.room === room && f.change.by === bob.id,
    );
    expect(back).toMatchObject({ change: { kind: 'renamed', name: 'By Bob on B' } });
    expect((await groupReply(a, { type: 'group.get', room })).name).toBe('By Bob on B');
  }, 30_000);
});
