import { describe, expect, it } from 'vitest';
import type { ChatMessage, GroupEvent } from '../src/index.js';
import { startChatServer, until } from './helpers/chat-server.js';

describe('group chats against the real server', () => {
  it('creates a group, chats in it with "seen by k of n", and keeps admins and names current', async () => {
    await using server = await startChatServer();
    const [alice, bob, carol] = await Promise.all(
      ['alice', 'bob', 'carol'].map((n) => server.user(n)),
    );
    if (!alice || !bob || !carol) throw new Error('no users');
    const bobChanges: GroupEvent[] = [];
    bob.on('group', (e) => bobChanges.push(e));
    const name = (c: typeof alice) => c.user?.username ?? '';

    const created = await alice.createGroup('crew', [name(bob), name(carol)]);
    expect(created.room).toMatch(/^g:/);
    expect(created.members.map((m) => m.username)).toEqual([name(alice), name(bob), name(carol)]);
    await until(() => bobChanges.some((e) => e.change.kind === 'created'), 'bob to hear of it');

    const [ga, gb, gc] = await Promise.all([
      alice.openGroup(created.room),
      bob.openGroup(created.room),
      carol.openGroup(created.room),
    ]);
    if (!ga || !gb || !gc) throw new Error('no group chats');
    expect(ga.admin).toBe(true);
    expect(gb.admin).toBe(false);
    expect(ga.online.size).toBeGreaterThanOrEqual(2);

    const bobGot: ChatMessage[] = [];
    gb.on('message', (m) => bobGot.push(m));
    const sent = await ga.send('hello crew', { ttl: 60_000 });
    await until(() => bobGot.length === 1 && gc.messages().length === 1, 'both to receive it');
    expect(gb.unread).toBe(1);
    expect(ga.audience(sent)).toHaveLength(2);
    expect(ga.seenBy(sent)).toEqual([]);
    await gb.markRead();
    await until(() => ga.seenBy(sent).length === 1, 'seen by 1 of 2');
    expect(ga.seenBy(sent)).toEqual([bob.user?.id]);
    await gc.markRead();
    await until(() => ga.seenBy(sent).length === 2, 'seen by 2 of 2');

    // Typing reaches the others.
    const typing: string[] = [];
    carol.on('typing', (e) => typing.push(e.userId));
    gb.typing(true);
    await until(() => typing.includes(bob.user?.id ?? ''), 'carol to see bob typing');

    // Admin actions: rename, promote; settings only by admins.
    await ga.rename('the crew');
    await until(() => gb.group.name === 'the crew', 'bob to see the new name');
    await expect(gb.setSettings({ ttl: 30_000 })).rejects.toMatchObject({ code: 'not_admin' });
    await ga.setAdmin(bob.user?.id ?? '', true);
    await until(() => gb.admin, 'bob to be an admin');
    await gb.setSettings({ ttl: 30_000 });
    await until(() => ga.settings.ttl === 30_000, 'alice to get the settings');

    const list = await carol.chats();
    const entry = list.find((c) => c.room === created.room);
    expect(entry && 'group' in entry && entry.group).toMatchObject({
      name: 'the crew',
      memberCount: 3,
      admin: false,
    });
    expect((await carol.groups()).map((g) => g.room)).toContain(created.room);
  });

  it('drops the group for a removed member, who gets nothing more, and hides old messages from a new one', async () => {
    await using server = await startChatServer();
    const [alice, bob, carol, dave] = await Promise.all(
      ['alice', 'bob', 'carol', 'dave'].map((n) => server.user(n)),
    );
    if (!alice || !bob || !carol || !dave) throw new Error('no users');
    const name = (c: typeof alice) => c.user?.username ?? '';
    const created = await alice.createGroup('crew', [name(bob), name(carol)]);
    const ga = await alice.openGroup(created.room);
    const gb = await bob.openGroup(created.room);
    await ga.send('before', { ttl: 60_000 });
    await until(() => gb.messages().length === 1, 'bob to receive it');

    const left: string[] = [];
    bob.on('left', (e) => left.push(e.room));
    const bobGot: ChatMessage[] = [];
    bob.on('message', (m) => bobGot.push(m));
    await ga.remove(bob.user?.id ?? '');
    await until(() => left.length === 1, 'bob to be told');
    expect(gb.active).toBe(false);
    expect(gb.messages()).toEqual([]);
    await ga.send('after', { ttl: 60_000 });
    await expect(bob.openGroup(created.room)).rejects.toMatchObject({ code: 'forbidden' });
    expect(bobGot).toEqual([]);
    expect((await bob.chats()).some((c) => c.room === created.room)).toBe(false);

    // A new member sees nothing sent before they joined.
    await ga.add([name(dave)]);
    const gd = await dave.openGroup(created.room);
    expect(gd.messages()).toEqual([]);
    await ga.send('welcome', { ttl: 60_000 });
    await until(() => gd.messages().length === 1, 'dave to receive the next one');

    // Carol leaves: her chat goes, the others see her go.
    const gc = await carol.openGroup(created.room);
    await gc.leave();
    expect(gc.active).toBe(false);
    await until(() => !ga.members.some((m) => m.id === carol.user?.id), 'alice to see carol go');
  });
});
