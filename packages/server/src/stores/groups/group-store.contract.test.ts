import type { PublicUser } from '@ephemeral-chat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseBackend, databaseBackends } from '../../../test/helpers/databases.js';
import { openDatabase } from '../users/create-user-store.js';
import type { UserStore } from '../users/user-store.js';
import type { GroupStore } from './group-store.js';
import { KyselyGroupStore } from './kysely-group-store.js';

type Backend = DatabaseBackend;

const limits = { maxMembers: 4, maxGroupsPerUser: 3 };
/** For the race rounds, which make many groups with the same users. */
const roomy = { maxMembers: 4, maxGroupsPerUser: 100 };
let roomCounter = 0;
const newRoom = () =>
  `g:00000000-0000-4000-8000-${String(process.pid % 1e6).padStart(6, '0')}${String(++roomCounter).padStart(6, '0')}`;

/** One contract for every GroupStore, on SQLite and on real PostgreSQL. */
function groupStoreContract(backend: Backend) {
  describe(`GroupStore contract: ${backend.name}`, () => {
    let cleanup: () => Promise<void>;
    let users: UserStore;
    let store: GroupStore;
    let u: PublicUser[];

    beforeEach(async () => {
      const b = await backend.options();
      cleanup = b.cleanup;
      const opened = await openDatabase(b.options);
      users = opened.users;
      store = new KyselyGroupStore(opened.db.withTables(), opened.dialect);
      u = [];
      for (let i = 0; i < 8; i++) {
        u.push(await users.create({ username: `user${i}_${roomCounter}`, passwordHash: 'h' }));
      }
    });
    afterEach(async () => {
      await users.close();
      await cleanup();
    });

    const id = (i: number) => u[i]?.id ?? '';
    const create = async (members: number[], creator = 0, bounds = limits) => {
      const room = newRoom();
      const r = await store.create(
        { room, name: 'team', creatorId: id(creator), memberIds: members.map(id), now: 1000 },
        bounds,
      );
      if ('refused' in r) throw new Error(r.refused);
      return r.group;
    };
    const memberIds = async (room: string) =>
      (await store.get(room))?.members.map((m) => m.id) ?? [];

    it('creates a group with its creator as the only admin, members in join order', async () => {
      const group = await create([2, 1]);
      expect(group.name).toBe('team');
      expect(group.createdAt).toBe(1000);
      expect(group.members).toEqual([
        { id: id(0), username: u[0]?.username, admin: true, joinedAt: 1000 },
        { id: id(2), username: u[2]?.username, admin: false, joinedAt: 1000 },
        { id: id(1), username: u[1]?.username, admin: false, joinedAt: 1000 },
      ]);
      expect(await store.get(group.room)).toEqual(group);
    });

    it('returns undefined for a group that does not exist', async () => {
      expect(await store.get(newRoom())).toBeUndefined();
    });

    it('refuses a group with more members than the limit, storing nothing', async () => {
      const room = newRoom();
      const r = await store.create(
        { room, name: 'x', creatorId: id(0), memberIds: [1, 2, 3, 4].map(id), now: 1 },
        limits,
      );
      expect(r).toEqual({ refused: 'group_full' });
      expect(await store.get(room)).toBeUndefined();
    });

    it('refuses a group whose member is at the group cap, naming them, storing nothing', async () => {
      for (let i = 0; i < limits.maxGroupsPerUser; i++) await create([], 1);
      const room = newRoom();
      const r = await store.create(
        { room, name: 'x', creatorId: id(0), memberIds: [id(1)], now: 1 },
        limits,
      );
      expect(r).toEqual({ refused: 'too_many_groups', userIds: [id(1)] });
      expect(await store.get(room)).toBeUndefined();
      expect(await store.listFor(id(0), undefined, 10)).toEqual([]);
    });

    it('lets admins add members, skipping those already in', async () => {
      const g = await create([1]);
      const r = await store.add(g.room, id(0), [id(1), id(2)], limits, Date.now());
      expect(r).toMatchObject({ added: [id(2)] });
      expect(await memberIds(g.room)).toEqual([id(0), id(1), id(2)]);
    });

    it('refuses an add by a non-member or a non-admin, and past the limit adds nobody', async () => {
      const g = await create([1, 2]);
      expect(await store.add(g.room, id(5), [id(3)], limits, Date.now())).toEqual({
        refused: 'not_member',
      });
      expect(await store.add(g.room, id(1), [id(3)], limits, Date.now())).toEqual({
        refused: 'not_admin',
      });
      expect(await store.add(g.room, id(0), [id(3), id(4)], limits, Date.now())).toEqual({
        refused: 'group_full',
      });
      expect(await memberIds(g.room)).toEqual([id(0), id(1), id(2)]);
      expect(await store.add(newRoom(), id(0), [id(3)], limits, Date.now())).toEqual({
        refused: 'not_member',
      });
    });

    it('lets admins remove a member, and refuses one who is not in', async () => {
      const g = await create([1, 2]);
      expect(await store.remove(g.room, id(1), id(2))).toEqual({ refused: 'not_admin' });
      expect(await store.remove(g.room, id(0), id(5))).toEqual({ refused: 'target_not_member' });
      const r = await store.remove(g.room, id(0), id(2));
      expect(r).toMatchObject({ group: { members: [{ id: id(0) }, { id: id(1) }] } });
    });

    it('promotes the longest-standing member when the last admin leaves', async () => {
      const g = await create([3, 1, 2]);
      const r = await store.leave(g.room, id(0));
      expect(r).toMatchObject({ promoted: id(3) });
      expect((await store.get(g.room))?.members).toEqual([
        { id: id(3), username: u[3]?.username, admin: true, joinedAt: expect.any(Number) },
        { id: id(1), username: u[1]?.username, admin: false, joinedAt: expect.any(Number) },
        { id: id(2), username: u[2]?.username, admin: false, joinedAt: expect.any(Number) },
      ]);
      expect(await store.leave(g.room, id(0))).toEqual({ refused: 'not_member' });
    });

    it('keeps the admins when a member who is not the last admin leaves', async () => {
      const g = await create([1, 2]);
      expect(await store.leave(g.room, id(1))).toMatchObject({ promoted: undefined });
      expect(await memberIds(g.room)).toEqual([id(0), id(2)]);
    });

    it('deletes a group when its last member leaves', async () => {
      const g = await create([1]);
      await store.leave(g.room, id(0));
      expect(await store.leave(g.room, id(1))).toEqual({ group: undefined, promoted: undefined });
      expect(await store.get(g.room)).toBeUndefined();
      expect(await store.listFor(id(1), undefined, 10)).toEqual([]);
    });

    it('renames, for admins only', async () => {
      const g = await create([1]);
      expect(await store.rename(g.room, id(1), 'nope')).toEqual({ refused: 'not_admin' });
      expect(await store.rename(g.room, id(0), 'Ünïcode 😀')).toMatchObject({
        group: { name: 'Ünïcode 😀' },
      });
    });

    it('promotes and demotes, but never demotes the last admin', async () => {
      const g = await create([1, 2]);
      expect(await store.setAdmin(g.room, id(0), id(0), false)).toEqual({ refused: 'last_admin' });
      expect(await store.setAdmin(g.room, id(1), id(2), true)).toEqual({ refused: 'not_admin' });
      expect(await store.setAdmin(g.room, id(0), id(5), true)).toEqual({
        refused: 'target_not_member',
      });
      expect(await store.setAdmin(g.room, id(0), id(1), true)).toMatchObject({ changed: true });
      expect(await store.setAdmin(g.room, id(0), id(1), true)).toMatchObject({ changed: false });
      expect(await store.setAdmin(g.room, id(1), id(0), false)).toMatchObject({ changed: true });
      const admins = (await store.get(g.room))?.members.filter((m) => m.admin).map((m) => m.id);
      expect(admins).toEqual([id(1)]);
    });

    it('lists a user’s groups by room id, in pages, with counts and their role', async () => {
      const made = [await create([1]), await create([1, 3], 2), await create([], 1)];
      const rooms = made.map((g) => g.room).sort();
      const first = await store.listFor(id(1), undefined, 2);
      expect(first.map((g) => g.room)).toEqual(rooms.slice(0, 2));
      const rest = await store.listFor(id(1), first[1]?.room, 2);
      expect(rest.map((g) => g.room)).toEqual(rooms.slice(2));
      const mine = [...first, ...rest].find((g) => g.room === made[2]?.room);
      expect(mine).toEqual({
        room: made[2]?.room,
        name: 'team',
        createdAt: 1000,
        memberCount: 1,
        admin: true,
      });
      expect([...first, ...rest].find((g) => g.room === made[1]?.room)?.memberCount).toBe(3);
    });

    it('lets two admins adding at once never pass the member limit', async () => {
      for (let round = 0; round < 5; round++) {
        const g = await create([1, 2], 0, roomy);
        await store.setAdmin(g.room, id(0), id(1), true);
        const results = await Promise.all([
          store.add(g.room, id(0), [id(3)], roomy, Date.now()),
          store.add(g.room, id(1), [id(4)], roomy, Date.now()),
        ]);
        expect(results.filter((r) => 'refused' in r)).toEqual([{ refused: 'group_full' }]);
        expect((await memberIds(g.room)).length).toBe(limits.maxMembers);
      }
    });

    it('holds the per-user group cap under concurrent creates', async () => {
      await create([], 1); // user 1 has room for two more
      const results = await Promise.all(
        [0, 2, 3, 4, 5].map((creator) =>
          store.create(
            { room: newRoom(), name: 'race', creatorId: id(creator), memberIds: [id(1)], now: 1 },
            limits,
          ),
        ),
      );
      expect(results.filter((r) => !('refused' in r))).toHaveLength(2);
      expect(await store.listFor(id(1), undefined, 10)).toHaveLength(limits.maxGroupsPerUser);
    });

    it('keeps membership consistent when a remove races an add of the same user', async () => {
      for (let round = 0; round < 5; round++) {
        const g = await create([1, 2], 0, roomy);
        await store.setAdmin(g.room, id(0), id(1), true);
        const [removed, added] = await Promise.all([
          store.remove(g.room, id(0), id(2)),
          store.add(g.room, id(1), [id(2), id(3)], roomy, Date.now()),
        ]);
        const members = await memberIds(g.room);
        expect('refused' in removed).toBe(false);
        if ('refused' in added) throw new Error(added.refused);
        // Either the add ran first (2 was in, so only 3 was added, then 2 was removed) or the
        // remove did (then the add put 2 back): never a half-applied change.
        if (added.added.includes(id(2))) expect(members).toEqual([id(0), id(1), id(2), id(3)]);
        else expect(members).toEqual([id(0), id(1), id(3)]);
      }
    });
  });
}

for (const backend of databaseBackends) groupStoreContract(backend);
