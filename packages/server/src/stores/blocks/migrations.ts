import type { Kysely, Migration } from 'kysely';

/**
 * The blocks table, in the users' database and migration list (see users/migrations.ts): both
 * columns reference users, and one migrator keeps them in order. A shipped migration is never edited.
 */
export const blockMigrations: Record<string, Migration> = {
  '003_blocks': {
    // biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('blocks')
        .addColumn('blocker_id', 'text', (col) =>
          col.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('blocked_id', 'text', (col) =>
          col.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('blocks_pk', ['blocker_id', 'blocked_id'])
        .execute();
      // "Who blocks me" (the other direction of a pair check, and the search filter).
      await db.schema
        .createIndex('blocks_by_blocked')
        .on('blocks')
        .columns(['blocked_id', 'blocker_id'])
        .execute();
    },
  },
};
