import type { ColumnType } from 'kysely';
import type { Database } from '../users/db-schema.js';

/** The `groups` table: one row per group, its id the room id (`g:<uuid>`). */
export interface GroupsTable {
  id: string;
  name: string;
  /** Epoch ms (bigint: pg hands it back as a string). */
  created_at: ColumnType<number | string, number, never>;
}

/** The `group_members` table: one row per member; deleting a group deletes its rows. */
export interface GroupMembersTable {
  room: string;
  user_id: string;
  /** 1 for an admin, else 0 (an integer in both dialects). */
  admin: number;
  /** Join order within the group (1 = the creator): "longest-standing" is the lowest. */
  seq: number;
  /** Epoch ms when the member (last) joined (migration 004; bigint: pg hands back a string). */
  joined_at: ColumnType<number | string, number | undefined, never>;
}

/** The tables migration `002_groups` adds (a type alias: kysely's `withTables` takes one). */
export type GroupTables = {
  groups: GroupsTable;
  group_members: GroupMembersTable;
};

/** The users database with the group tables. */
export type GroupDatabase = Database & GroupTables;
