import type { PublicUser } from '@ephemeral-chat/protocol';
import type { Kysely } from 'kysely';
import { UnavailableError } from '../../errors/app-error.js';
import { writeTransaction } from '../groups/write-transaction.js';
import { isUnavailable } from '../users/db-errors.js';
import type { BlockStore } from './block-store.js';
import type { BlockDatabase } from './db-schema.js';

type Db = Kysely<BlockDatabase>;

/**
 * `BlockStore` on kysely, in the users' database. Race safety of the cap: on PostgreSQL a block
 * first locks the blocker's user row (`for no key update`), then counts; on SQLite the transaction
 * holds the write lock (`BEGIN IMMEDIATE`).
 */
export class KyselyBlockStore implements BlockStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  block(blockerId: string, blockedId: string, now: number, max: number) {
    if (blockerId === blockedId) return Promise.resolve({ refused: 'self' as const });
    return this.#run(() =>
      writeTransaction(this.db, this.dialect, async (trx) => {
        const users = await trx
          .selectFrom('users')
          .select('id')
          .where('id', 'in', [blockerId, blockedId])
          .orderBy('id')
          .$if(this.dialect === 'postgres', (q) => q.forNoKeyUpdate())
          .execute();
        if (!users.some((u) => u.id === blockedId)) return { refused: 'user_not_found' as const };
        if (!users.some((u) => u.id === blockerId)) return { refused: 'user_not_found' as const };
        const existing = await trx
          .selectFrom('blocks')
          .select('blocked_id')
          .where('blocker_id', '=', blockerId)
          .where('blocked_id', '=', blockedId)
          .executeTakeFirst();
        if (existing) return { created: false };
        const { count } = await trx
          .selectFrom('blocks')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .where('blocker_id', '=', blockerId)
          .executeTakeFirstOrThrow();
        if (Number(count) >= max) return { refused: 'too_many' as const };
        await trx
          .insertInto('blocks')
          .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: now })
          .execute();
        return { created: true };
      }),
    );
  }

  async unblock(blockerId: string, blockedId: string): Promise<boolean> {
    const result = await this.#run(() =>
      this.db
        .deleteFrom('blocks')
        .where('blocker_id', '=', blockerId)
        .where('blocked_id', '=', blockedId)
        .executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  async between(a: string, b: string): Promise<boolean> {
    const row = await this.#run(() =>
      this.db
        .selectFrom('blocks')
        .select('blocker_id')
        .where((eb) =>
          eb.or([
            eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
            eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
          ]),
        )
        .limit(1)
        .executeTakeFirst(),
    );
    return row !== undefined;
  }

  listFor(blockerId: string, limit: number): Promise<PublicUser[]> {
    return this.#run(() =>
      this.db
        .selectFrom('blocks')
        .innerJoin('users', 'users.id', 'blocks.blocked_id')
        .select(['users.id', 'users.username'])
        .where('blocks.blocker_id', '=', blockerId)
        .orderBy('users.username_lower')
        .limit(limit)
        .execute(),
    );
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw isUnavailable(err) ? new UnavailableError('database', err) : err;
    }
  }
}
