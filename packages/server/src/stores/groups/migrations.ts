import type { Kysely, Migration } from 'kysely';

/**
 * The group tables, in the users' database and migration list (see users/migrations.ts): members
 * reference users, and one migrator keeps both in order. A shipped migration is never edited.
 */
export const groupMigrations: Record<string, Migration> = {
  '002_groups': {
    // biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('groups')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createTable('group_members')
        .addColumn('room', 'text', (col) =>
          col.notNull().references('groups.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
        .addColumn('admin', 'integer', (col) => col.notNull())
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('group_members_pk', ['room', 'user_id'])
        .execute();
      // "My groups" and the per-user cap read by user.
      await db.schema
        .createIndex('group_members_by_user')
        .on('group_members')
        .columns(['user_id', 'room'])
        .execute();
    },
  },
  '004_group_joined_at': {
    // When each member (last) joined: they see no message sent before. Rows from before this
    // migration get 0 (they see everything still live, as they did).
    // biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('group_members')
        .addColumn('joined_at', 'bigint', (col) => col.notNull().defaultTo(0))
        .execute();
    },
  },
};
