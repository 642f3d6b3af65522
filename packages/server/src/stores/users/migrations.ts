import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { blockMigrations } from '../blocks/migrations.js';
import { groupMigrations } from '../groups/migrations.js';
import { reportMigrations } from '../reports/migrations.js';
import type { Database } from './db-schema.js';
import { hostIdentityMigrations } from './host-identity-migration.js';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * In code, not files found at runtime, so a bundled or installed server migrates the same way.
 * A migration that has shipped is never edited; add the next one.
 */
function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '001_users': {
      async up(db) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('username', 'text', (col) => col.notNull())
          // PostgreSQL: byte-order collation lets the unique index also serve the prefix LIKE and
          // the ORDER BY (a text_pattern_ops index would serve only the LIKE, then sort), and
          // results sort exactly as SQLite's BINARY collation sorts them.
          .addColumn(
            'username_lower',
            dialect === 'postgres' ? sql`text collate "C"` : 'text',
            (col) => col.notNull().unique(),
          )
          .addColumn('password_hash', 'text', (col) => col.notNull())
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .execute();
      },
    },
    ...groupMigrations,
    ...blockMigrations,
    ...reportMigrations,
    '006_user_suspension': {
      // Operators suspend an account (no sign-in, sessions ended); 0 for every existing user.
      // biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time.
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('users')
          .addColumn('suspended', 'integer', (col) => col.notNull().defaultTo(0))
          .execute();
      },
    },
    ...hostIdentityMigrations,
  };
}

/**
 * Brings the schema up to date and returns the names of the migrations it applied. On PostgreSQL
 * kysely takes an advisory lock, so nodes starting together migrate once.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: SqlDialect,
  schema?: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
    // Also creates the schema if missing. Without it kysely would take a `kysely_migration` table
    // in any schema of the database for ours.
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
