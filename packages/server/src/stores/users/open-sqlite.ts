import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './db-schema.js';

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
const busyTimeoutMs = 5000;

/** Opens (creating if needed) a SQLite database file, or `:memory:`. */
export function openSqlite(path: string): Kysely<Database> {
  const sqlite = new BetterSqlite3(path);
  // WAL lets readers run beside the one writer instead of blocking on it.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
