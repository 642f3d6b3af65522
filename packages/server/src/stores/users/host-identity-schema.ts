import type { ColumnType } from 'kysely';

/** The `host_identities` table (migration 007_host_identities). */
export interface HostIdentitiesTable {
  /** The token's `iss`, exactly as signed. */
  issuer: string;
  /** The token's `sub`, exactly as signed. */
  subject: string;
  user_id: string;
  created_at: ColumnType<number | string, number, never>;
}

/** The table migration `007_host_identities` adds (a type alias: kysely's `withTables` takes one). */
export type HostIdentityTables = {
  host_identities: HostIdentitiesTable;
};
