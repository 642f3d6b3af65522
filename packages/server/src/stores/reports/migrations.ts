import type { Kysely, Migration } from 'kysely';

/**
 * The reports table, in the users' database and migration list (see users/migrations.ts). No
 * foreign keys: a report is evidence and outlives the accounts it names, until its expires_at.
 * A shipped migration is never edited.
 */
export const reportMigrations: Record<string, Migration> = {
  '005_reports': {
    // biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('reporter_id', 'text')
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('room', 'text', (col) => col.notNull())
        .addColumn('seq', 'bigint', (col) => col.notNull())
        .addColumn('sender_id', 'text', (col) => col.notNull())
        .addColumn('sender_username', 'text')
        .addColumn('text', 'text', (col) => col.notNull())
        .addColumn('client_msg_id', 'text', (col) => col.notNull())
        .addColumn('message_created_at', 'bigint', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('resolved_at', 'bigint')
        .addColumn('resolution', 'text')
        .execute();
      // One report per reporter and message: a repeat (or a race of two) finds the first.
      await db.schema
        .createIndex('reports_once')
        .on('reports')
        .columns(['reporter_id', 'room', 'seq'])
        .unique()
        .execute();
      // The operators' list (ids sort by creation: newest first, by status) and the retention sweep.
      await db.schema
        .createIndex('reports_by_status')
        .on('reports')
        .columns(['status', 'id'])
        .execute();
      await db.schema.createIndex('reports_by_expiry').on('reports').column('expires_at').execute();
    },
  },
};
