import type { Kysely, Migration } from 'kysely';

/**
 * Host identities: the (issuer, sub) of a host site's user, linked to the account made for it on
 * first sight. The primary key is what makes two racing first logins end with one account.
 * A shipped migration is never edited.
 */
export const hostIdentityMigrations: Record<string, Migration> = {
  '007_host_identities': {
    // biome-ignore lint/suspicious/noExplicitAny: a migration runs against the schema of its time.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('host_identities')
        .addColumn('issuer', 'text', (col) => col.notNull())
        .addColumn('subject', 'text', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) =>
          col.notNull().unique().references('users.id').onDelete('cascade'),
        )
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('host_identities_pk', ['issuer', 'subject'])
        .execute();
    },
  },
};
