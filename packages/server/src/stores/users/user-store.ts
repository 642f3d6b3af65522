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
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
