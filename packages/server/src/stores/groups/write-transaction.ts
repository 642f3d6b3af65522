import { type Kysely, sql } from 'kysely';

/**
 * Runs `work` in one write transaction. PostgreSQL: a plain transaction, the callers taking row
 * locks (`for update`) to serialize on a group or user. SQLite: `BEGIN IMMEDIATE`, which takes the
 * database's write lock up front, so a read-then-write transaction never fails its upgrade with
 * SQLITE_BUSY when another process writes (kysely's own `begin` is deferred).
 */
export async function writeTransaction<DB, T>(
  db: Kysely<DB>,
  dialect: 'sqlite' | 'postgres',
  work: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(work);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw err;
    }
  });
}
