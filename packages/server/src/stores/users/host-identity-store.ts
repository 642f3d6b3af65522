import { randomUUID } from 'node:crypto';
import type { PublicUser } from '@ephemeral-chat/protocol';
import type { Kysely } from 'kysely';
import { AppError, UnavailableError } from '../../errors/app-error.js';
import { writeTransaction } from '../groups/write-transaction.js';
import { isUnavailable, isUniqueViolation } from './db-errors.js';
import type { Database } from './db-schema.js';
import type { HostIdentityTables } from './host-identity-schema.js';

/** A host user seen for the first time: the account to make and the identity to link to it. */
export interface NewHostUser {
  issuer: string;
  subject: string;
  username: string;
  /** A hash nobody knows the password of: a host account cannot sign in locally. */
  passwordHash: string;
}

/**
 * The link between a host site's user (issuer, sub) and an account. `create` makes the account
 * and the link in one transaction; the primary key on (issuer, subject) decides a race.
 */
export class HostIdentityStore {
  readonly #db: Kysely<Database & HostIdentityTables>;
  readonly #dialect: 'sqlite' | 'postgres';

  constructor(db: Kysely<Database & HostIdentityTables>, dialect: 'sqlite' | 'postgres') {
    this.#db = db;
    this.#dialect = dialect;
  }

  async find(issuer: string, subject: string): Promise<PublicUser | undefined> {
    try {
      return await this.#db
        .selectFrom('host_identities')
        .innerJoin('users', 'users.id', 'host_identities.user_id')
        .select(['users.id', 'users.username'])
        .where('host_identities.issuer', '=', issuer)
        .where('host_identities.subject', '=', subject)
        .executeTakeFirst();
    } catch (err) {
      throw storeError(err);
    }
  }

  /**
   * Makes the account and links it. Returns `undefined` when the identity is linked already (a
   * racing first login won: look it up); throws `username_taken` when the name is not free.
   */
  async create(user: NewHostUser): Promise<PublicUser | undefined> {
    const id = randomUUID();
    const now = Date.now();
    // Which insert failed tells a taken username from an identity linked meanwhile.
    let step = 'user' as 'user' | 'identity';
    try {
      return await writeTransaction(this.#db, this.#dialect, async (trx) => {
        // SQLite serializes writers (BEGIN IMMEDIATE): a winner that committed is seen here.
        const linked = await trx
          .selectFrom('host_identities')
          .select('user_id')
          .where('issuer', '=', user.issuer)
          .where('subject', '=', user.subject)
          .executeTakeFirst();
        if (linked) return undefined;
        await trx
          .insertInto('users')
          .values({
            id,
            username: user.username,
            username_lower: user.username.toLowerCase(),
            password_hash: user.passwordHash,
            created_at: now,
          })
          .execute();
        step = 'identity';
        // PostgreSQL: a racing insert of the same key waits for the other transaction and fails
        // with a unique violation once it commits.
        await trx
          .insertInto('host_identities')
          .values({ issuer: user.issuer, subject: user.subject, user_id: id, created_at: now })
          .execute();
        return { id, username: user.username };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        if (step === 'identity') return undefined;
        throw new AppError('username_taken', 'That username is taken.', { cause: err });
      }
      throw storeError(err);
    }
  }
}

function storeError(err: unknown): unknown {
  return isUnavailable(err) ? new UnavailableError('database', err) : err;
}
