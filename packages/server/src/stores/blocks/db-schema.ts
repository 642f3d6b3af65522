import type { ColumnType } from 'kysely';
import type { Database } from '../users/db-schema.js';

/** The `blocks` table: one row per (blocker, blocked) pair; deleting either user deletes it. */
export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  /** Epoch ms (bigint: pg hands it back as a string). */
  created_at: ColumnType<number | string, number, never>;
}

/** The table migration `003_blocks` adds (a type alias: kysely's `withTables` takes one). */
export type BlockTables = {
  blocks: BlocksTable;
};

/** The users database with the blocks table. */
export type BlockDatabase = Database & BlockTables;
