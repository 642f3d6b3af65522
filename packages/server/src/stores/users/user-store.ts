import type { PublicUser } from '@ephemeral-chat/protocol';

/** A user row as the server needs it; `passwordHash` never leaves the services layer. */
export interface UserRecord extends PublicUser {
  passwordHash: string;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  passwordHash: string;
}

/**
 * Permanent accounts. Usernames are unique case-insensitively and keep their typed case.
 * Implementations throw `AppError('username_taken')` on a duplicate and `UnavailableError`
 * when the database cannot be reached.
 */
export interface UserStore {
  readonly dialect: 'sqlite' | 'postgres';
  create(user: NewUser): Promise<PublicUser>;
  /** Case-insensitive lookup. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<PublicUser | undefined>;
  /** Case-insensitive lookup of several usernames in one query; unknown names are left out. */
  findByUsernames(usernames: readonly string[]): Promise<PublicUser[]>;
  /**
   * Sets a user's password hash if it is still `expected` (compare and set, so a stale writer
   * cannot undo a newer hash); true when it was replaced.
   */
  replacePasswordHash(id: string, expected: string, passwordHash: string): Promise<boolean>;
  /**
   * Case-insensitive prefix search, ordered by username, `limit` at most, without `excludeId`
   * and, with `hideBlocksOf`, without the users that user blocks or is blocked by.
   */
  search(
    prefix: string,
    options: { excludeId?: string; hideBlocksOf?: string; limit: number },
  ): Promise<PublicUser[]>;
  /** True while an operator has the account suspended; false for an unknown id. */
  isSuspended(id: string): Promise<boolean>;
  /** Suspends or lifts the suspension; false when there is no such user. */
  setSuspended(id: string, suspended: boolean): Promise<boolean>;
  /**
   * Deletes the account row, with its blocks (cascade) and any group membership still left (the
   * caller leaves every group first, so the others hear of it); false when there was none.
   */
  deleteUser(id: string): Promise<boolean>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
