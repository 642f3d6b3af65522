import type { Group, GroupSummary } from '@ephemeral-chat/protocol';
import type { Kysely } from 'kysely';
import { UnavailableError } from '../../errors/app-error.js';
import { isUnavailable } from '../users/db-errors.js';
import type { GroupDatabase } from './db-schema.js';
import type {
  GroupLimits,
  GroupRefusal,
  GroupResult,
  GroupStore,
  NewGroup,
} from './group-store.js';
import { writeTransaction } from './write-transaction.js';

type Db = Kysely<GroupDatabase>;
type Dialect = 'sqlite' | 'postgres';

interface MemberRow {
  user_id: string;
  admin: number;
  seq: number;
}

/**
 * `GroupStore` on kysely, in the users' database. Race safety: on PostgreSQL every change first
 * locks the group's row (`for update`), and a change that adds members locks their user rows too
 * (`for no key update`, in id order, after the group: one lock order, so no deadlock), then counts;
 * on SQLite the whole transaction holds the write lock (`BEGIN IMMEDIATE`).
 */
export class KyselyGroupStore implements GroupStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  create(g: NewGroup, limits: GroupLimits): Promise<GroupResult<{ group: Group }>> {
    const ids = [...new Set([g.creatorId, ...g.memberIds])];
    return this.#write(async (trx) => {
      if (ids.length > limits.maxMembers) return { refused: 'group_full' };
      const capped = await this.#atCap(trx, ids, limits);
      if (capped) return capped;
      await trx
        .insertInto('groups')
        .values({ id: g.room, name: g.name, created_at: g.now })
        .execute();
      await trx
        .insertInto('group_members')
        .values(
          ids.map((id, i) => ({
            room: g.room,
            user_id: id,
            admin: i === 0 ? 1 : 0,
            seq: i + 1,
            joined_at: g.now,
          })),
        )
        .execute();
      return { group: await this.#read(trx, g.room) };
    });
  }

  add(room: string, by: string, userIds: readonly string[], limits: GroupLimits, now: number) {
    return this.#write(async (trx): Promise<GroupResult<{ group: Group; added: string[] }>> => {
      const members = await this.#lock(trx, room);
      const role = roleOf(members, by);
      if (role) return role;
      const present = new Set(members.map((m) => m.user_id));
      const added = [...new Set(userIds)].filter((id) => !present.has(id));
      if (added.length === 0) return { group: await this.#read(trx, room), added };
      if (members.length + added.length > limits.maxMembers) return { refused: 'group_full' };
      const capped = await this.#atCap(trx, added, limits);
      if (capped) return capped;
      const next = Math.max(0, ...members.map((m) => m.seq)) + 1;
      await trx
        .insertInto('group_members')
        .values(
          added.map((id, i) => ({ room, user_id: id, admin: 0, seq: next + i, joined_at: now })),
        )
        .execute();
      return { group: await this.#read(trx, room), added };
    });
  }

  remove(room: string, by: string, userId: string) {
    return this.#write(async (trx): Promise<GroupResult<{ group: Group }>> => {
      const members = await this.#lock(trx, room);
      const role = roleOf(members, by);
      if (role) return role;
      if (userId === by || !members.some((m) => m.user_id === userId)) {
        return { refused: 'target_not_member' };
      }
      await this.#deleteMember(trx, room, userId);
      return { group: await this.#read(trx, room) };
    });
  }

  leave(room: string, userId: string) {
    type Left = { group: Group | undefined; promoted: string | undefined };
    return this.#write(async (trx): Promise<GroupResult<Left>> => {
      const members = await this.#lock(trx, room);
      const me = members.find((m) => m.user_id === userId);
      if (!me) return { refused: 'not_member' };
      const rest = members.filter((m) => m.user_id !== userId);
      if (rest.length === 0) {
        // The members' rows go with it (on delete cascade).
        await trx.deleteFrom('groups').where('id', '=', room).execute();
        return { group: undefined, promoted: undefined };
      }
      await this.#deleteMember(trx, room, userId);
      let promoted: string | undefined;
      if (!rest.some((m) => m.admin === 1)) {
        // `members` is in join order: the first left is the longest-standing.
        promoted = rest[0]?.user_id;
        if (promoted) await this.#setAdminFlag(trx, room, promoted, true);
      }
      return { group: await this.#read(trx, room), promoted };
    });
  }

  rename(room: string, by: string, name: string) {
    return this.#write(async (trx): Promise<GroupResult<{ group: Group }>> => {
      const role = roleOf(await this.#lock(trx, room), by);
      if (role) return role;
      await trx.updateTable('groups').set({ name }).where('id', '=', room).execute();
      return { group: await this.#read(trx, room) };
    });
  }

  setAdmin(room: string, by: string, userId: string, admin: boolean) {
    return this.#write(async (trx): Promise<GroupResult<{ group: Group; changed: boolean }>> => {
      const members = await this.#lock(trx, room);
      const role = roleOf(members, by);
      if (role) return role;
      const target = members.find((m) => m.user_id === userId);
      if (!target) return { refused: 'target_not_member' };
      const changed = (target.admin === 1) !== admin;
      if (changed && !admin && members.filter((m) => m.admin === 1).length === 1) {
        return { refused: 'last_admin' };
      }
      if (changed) await this.#setAdminFlag(trx, room, userId, admin);
      return { group: await this.#read(trx, room), changed };
    });
  }

  get(room: string): Promise<Group | undefined> {
    return this.#run(async () => {
      const group = await this.#read(this.db, room).catch((err: unknown) => {
        if (err instanceof NoGroup) return undefined;
        throw err;
      });
      return group;
    });
  }

  listFor(userId: string, after: string | undefined, limit: number): Promise<GroupSummary[]> {
    return this.#run(async () => {
      let query = this.db
        .selectFrom('group_members as m')
        .innerJoin('groups as g', 'g.id', 'm.room')
        .select((eb) => [
          'g.id',
          'g.name',
          'g.created_at',
          'm.admin',
          eb
            .selectFrom('group_members as c')
            .whereRef('c.room', '=', 'm.room')
            .select((c) => c.fn.countAll().as('n'))
            .as('member_count'),
        ])
        .where('m.user_id', '=', userId)
        .orderBy('m.room')
        .limit(limit);
      if (after !== undefined) query = query.where('m.room', '>', after);
      const rows = await query.execute();
      return rows.map((r) => ({
        room: r.id,
        name: r.name,
        createdAt: Number(r.created_at),
        memberCount: Number(r.member_count),
        admin: r.admin === 1,
      }));
    });
  }

  /**
   * The group's members in join order, the group's row locked for this transaction (PostgreSQL);
   * no rows when there is no such group.
   */
  async #lock(trx: Db, room: string): Promise<MemberRow[]> {
    const found = await trx
      .selectFrom('groups')
      .select('id')
      .where('id', '=', room)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!found) return [];
    return trx
      .selectFrom('group_members')
      .select(['user_id', 'admin', 'seq'])
      .where('room', '=', room)
      .orderBy('seq')
      .execute();
  }

  /** Locks the users' rows (PostgreSQL), then refuses when any is at the group cap already. */
  async #atCap(
    trx: Db,
    userIds: readonly string[],
    limits: GroupLimits,
  ): Promise<GroupRefusal | undefined> {
    const sorted = [...userIds].sort();
    if (this.dialect === 'postgres') {
      await trx
        .selectFrom('users')
        .select('id')
        .where('id', 'in', sorted)
        .orderBy('id')
        .forNoKeyUpdate()
        .execute();
    }
    const counts = await trx
      .selectFrom('group_members')
      .select((eb) => ['user_id', eb.fn.countAll().as('n')])
      .where('user_id', 'in', sorted)
      .groupBy('user_id')
      .execute();
    const full = counts.filter((c) => Number(c.n) >= limits.maxGroupsPerUser).map((c) => c.user_id);
    return full.length > 0 ? { refused: 'too_many_groups', userIds: full } : undefined;
  }

  async #deleteMember(trx: Db, room: string, userId: string): Promise<void> {
    await trx
      .deleteFrom('group_members')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .execute();
  }

  async #setAdminFlag(trx: Db, room: string, userId: string, admin: boolean): Promise<void> {
    await trx
      .updateTable('group_members')
      .set({ admin: admin ? 1 : 0 })
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .execute();
  }

  async #read(db: Db, room: string): Promise<Group> {
    const group = await db
      .selectFrom('groups')
      .select(['id', 'name', 'created_at'])
      .where('id', '=', room)
      .executeTakeFirst();
    if (!group) throw new NoGroup();
    const members = await db
      .selectFrom('group_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.username', 'm.admin', 'm.joined_at'])
      .where('m.room', '=', room)
      .orderBy('m.seq')
      .execute();
    return {
      room: group.id,
      name: group.name,
      createdAt: Number(group.created_at),
      members: members.map((m) => ({
        id: m.id,
        username: m.username,
        admin: m.admin === 1,
        joinedAt: Number(m.joined_at),
      })),
    };
  }

  #write<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return this.#run(() => writeTransaction(this.db, this.dialect, work));
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw isUnavailable(err) ? new UnavailableError('database', err) : err;
    }
  }
}

/** The group is gone (read outside a transaction that holds it). */
class NoGroup extends Error {}

/** `not_member` when `by` is not in the group (or there is none), `not_admin` when not an admin. */
function roleOf(members: readonly MemberRow[], by: string): GroupRefusal | undefined {
  const me = members.find((m) => m.user_id === by);
  if (!me) return { refused: 'not_member' };
  return me.admin === 1 ? undefined : { refused: 'not_admin' };
}
