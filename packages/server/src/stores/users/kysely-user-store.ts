import { randomUUID } from 'node:crypto';
import type { PublicUser } from '@ephemeral-chat/protocol';
import { type Kysely, type SqlBool, sql } from 'kysely';
import { AppError, UnavailableError } from '../../errors/app-error.js';
import { writeTransaction } from '../groups/write-transaction.js';
import { isUnavailable, isUniqueViolation } from './db-errors.js';
import type { Database } from './db-schema.js';
import type { NewUser, UserRecord, UserStore } from './user-store.js';

/** `_` is a legal username character and a LIKE wildcard, so the prefix is matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `UserStore` on kysely; the same queries serve SQLite and PostgreSQL. */
export class KyselyUserStore implements UserStore {
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;
  #closed: Promise<void> | undefined;

  /** Takes a migrated database; `createUserStore` builds one. */
  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
    this.#db = db;
    this.dialect = dialect;
  }

  async create({ username, passwordHash }: NewUser): Promise<PublicUser> {
    const id = randomUUID();
    try {
      await this.#db
        .insertInto('users')
        .values({
          id,
          username,
          username_lower: username.toLowerCase(),
          password_hash: passwordHash,
          created_at: Date.now(),
        })
        .execute();
    } catch (err) {
      // The unique index decides, so two registrations racing for one name cannot both win.
      if (isUniqueViolation(err)) {
        throw new AppError('username_taken', 'That username is taken.', { cause: err });
      }
      throw storeError(err);
    }
    return { id, username };
  }

  findByUsername(username: string): Promise<UserRecord | undefined> {
    return this.#run(async () => {
      const row = await this.#db
        .selectFrom('users')
        .select(['id', 'username', 'password_hash', 'created_at'])
        .where('username_lower', '=', username.toLowerCase())
        .executeTakeFirst();
      if (!row) return undefined;
      const { id, password_hash: passwordHash, created_at } = row;
      return { id, username: row.username, passwordHash, createdAt: new Date(Number(created_at)) };
    });
  }

  findById(id: string): Promise<PublicUser | undefined> {
    return this.#run(() =>
      this.#db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('id', '=', id)
        .executeTakeFirst(),
    );
  }

  findByUsernames(usernames: readonly string[]): Promise<PublicUser[]> {
    if (usernames.length === 0) return Promise.resolve([]);
    const lower = [...new Set(usernames.map((u) => u.toLowerCase()))];
    return this.#run(() =>
      this.#db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('username_lower', 'in', lower)
        .execute(),
    );
  }

  replacePasswordHash(id: string, expected: string, passwordHash: string): Promise<boolean> {
    return this.#run(async () => {
      const result = await this.#db
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('id', '=', id)
        .where('password_hash', '=', expected)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    });
  }

  search(
    prefix: string,
    options: { excludeId?: string; hideBlocksOf?: string; limit: number },
  ): Promise<PublicUser[]> {
    const pattern = `${escapeLike(prefix.toLowerCase())}%`;
    let query = this.#db
      .selectFrom('users')
      .select(['id', 'username'])
      // ESCAPE spelled out: SQLite has no default escape character.
      .where(sql<SqlBool>`${sql.ref('username_lower')} like ${pattern} escape '\\'`)
      .orderBy('username_lower')
      .limit(options.limit);
    if (options.excludeId !== undefined) query = query.where('id', '!=', options.excludeId);
    const me = options.hideBlocksOf;
    // The blocks table (migration 003_blocks), either direction; both lookups use an index.
    if (me !== undefined) {
      query = query.where(
        sql<SqlBool>`not exists (select 1 from blocks where (blocker_id = ${me} and blocked_id = ${sql.ref('users.id')}) or (blocker_id = ${sql.ref('users.id')} and blocked_id = ${me}))`,
      );
    }
    return this.#run(() => query.execute());
  }

  async isSuspended(id: string): Promise<boolean> {
    const row = await this.#run(() =>
      this.#db.selectFrom('users').select('suspended').where('id', '=', id).executeTakeFirst(),
    );
    return Number(row?.suspended ?? 0) === 1;
  }

  async setSuspended(id: string, suspended: boolean): Promise<boolean> {
    const result = await this.#run(() =>
      this.#db
        .updateTable('users')
        .set({ suspended: suspended ? 1 : 0 })
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }

  deleteUser(id: string): Promise<boolean> {
    return this.#run(() =>
      writeTransaction(this.#db, this.dialect, async (trx) => {
        // group_members.user_id has no cascade (a membership is changed only through the group
        // rules); a membership that raced in after the caller left every group goes with the row.
        await sql`delete from group_members where user_id = ${id}`.execute(trx);
        const result = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
    );
  }

  async ping(): Promise<void> {
    await this.#run(() => sql`select 1`.execute(this.#db));
  }

  /** Idempotent: pg's pool throws when ended twice. */
  close(): Promise<void> {
    this.#closed ??= this.#db.destroy();
    return this.#closed;
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw storeError(err);
    }
  }
}

function storeError(err: unknown): unknown {
  return isUnavailable(err) ? new UnavailableError('database', err) : err;
}
