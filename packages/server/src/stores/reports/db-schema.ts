import type { ColumnType } from 'kysely';
import type { Database } from '../users/db-schema.js';

type Epoch = ColumnType<number | string, number, number>;

/**
 * The `reports` table: one row per (reporter, room, seq), holding a copy of the reported message.
 * Not linked to `users` by a foreign key: a report outlives both accounts (see docs/security.md);
 * the reporter's id is cleared when they delete their account.
 */
export interface ReportsTable {
  id: string;
  reporter_id: string | null;
  reason: string;
  comment: string | null;
  /** Epoch ms (bigint: pg hands it back as a string). */
  created_at: Epoch;
  /** created_at + REPORT_RETENTION_DAYS: purged at or after it. */
  expires_at: Epoch;
  source: string;
  room: string;
  seq: Epoch;
  sender_id: string;
  sender_username: string | null;
  text: string;
  client_msg_id: string;
  message_created_at: Epoch;
  status: string;
  resolved_at: Epoch | null;
  resolution: string | null;
}

/** The table migration `005_reports` adds (a type alias: kysely's `withTables` takes one). */
export type ReportTables = {
  reports: ReportsTable;
};

export type ReportDatabase = Database & ReportTables;
