import type { ColumnType } from 'kysely';

/** The `users` table. `username_lower` carries case-insensitive uniqueness and the prefix search. */
export interface UsersTable {
  /** `crypto.randomUUID()`. */
  id: string;
  /** As typed at registration. */
  username: string;
  username_lower: string;
  password_hash: string;
  /** Epoch ms in a 64-bit integer column in both dialects; pg hands a bigint back as a string. */
  created_at: ColumnType<number | string, number, never>;
  /** 1 while an operator has the account suspended (migration 006_user_suspension). */
  suspended: ColumnType<number, number | undefined, number>;
}

export interface Database {
  users: UsersTable;
}
