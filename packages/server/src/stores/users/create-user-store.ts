import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import { redactUrl } from '../../util/redact-url.js';
import { type DatabaseTarget, parseDatabaseTarget } from './database-target.js';
import { describeError } from './db-errors.js';
import type { Database } from './db-schema.js';
import { KyselyUserStore } from './kysely-user-store.js';
import { migrateToLatest } from './migrations.js';
import { openPostgres } from './open-postgres.js';
import { openSqlite } from './open-sqlite.js';
import type { UserStore } from './user-store.js';

export interface UserStoreLogger {
  info(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
}

export interface CreateUserStoreOptions {
  /**
   * `postgres://` or `postgresql://` selects PostgreSQL; `sqlite:<path>`, `sqlite::memory:` or a
   * plain path selects SQLite. @default SQLite at `<dataDir>/ephemeral-chat.db`
   */
  databaseUrl?: string;
  /** Directory of the default SQLite file; created if missing. */
  dataDir: string;
  /** PostgreSQL schema holding the tables; created if missing. @default 'public' */
  pgSchema?: string;
  logger?: UserStoreLogger;
}

/** The migrated database, the user store that owns it (its `close` closes it), and its dialect. */
export interface OpenedDatabase {
  users: UserStore;
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
}

/** Opens the users database, migrates it to the latest schema, and fails start-up clearly if it cannot. */
export async function createUserStore(options: CreateUserStoreOptions): Promise<UserStore> {
  return (await openDatabase(options)).users;
}

/** As `createUserStore`, also handing out the database for the other permanent stores (groups). */
export async function openDatabase(options: CreateUserStoreOptions): Promise<OpenedDatabase> {
  const { logger } = options;
  const target = parseDatabaseTarget(options.databaseUrl, options.dataDir, options.pgSchema);
  const where = describeTarget(target);
  let db: Kysely<Database> | undefined;
  try {
    db = await open(target, options.dataDir, logger);
    const applied = await migrateToLatest(
      db,
      target.dialect,
      target.dialect === 'postgres' ? target.schema : undefined,
    );
    logger?.info({ dialect: target.dialect, database: where, applied }, 'users database ready');
    return { users: new KyselyUserStore(db, target.dialect), db, dialect: target.dialect };
  } catch (err) {
    await db?.destroy().catch(() => {});
    throw new Error(
      `Cannot open the users database (${where}): ${describeError(err)}. Check DATABASE_URL and that the database is running and writable.`,
      { cause: err },
    );
  }
}

async function open(
  target: DatabaseTarget,
  dataDir: string,
  logger: UserStoreLogger | undefined,
): Promise<Kysely<Database>> {
  if (target.dialect === 'postgres') {
    return openPostgres({
      url: target.url,
      schema: target.schema,
      onIdleError: (err) => logger?.warn?.({ err }, 'idle PostgreSQL connection failed'),
    });
  }
  await mkdir(dataDir, { recursive: true });
  if (target.path !== ':memory:') await mkdir(dirname(target.path), { recursive: true });
  return openSqlite(target.path);
}

function describeTarget(target: DatabaseTarget): string {
  return target.dialect === 'postgres'
    ? `PostgreSQL at ${redactUrl(target.url)}, schema ${target.schema}`
    : `SQLite at ${target.path}`;
}
