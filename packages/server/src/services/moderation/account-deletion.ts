import type { Counters } from '../../engine/counters/counters.js';
import type { MessageStore } from '../../engine/messages/message-store.js';
import { AppError } from '../../errors/app-error.js';
import type { ReportStore } from '../../stores/reports/report-store.js';
import type { UserStore } from '../../stores/users/user-store.js';
import type { GroupService } from '../group-service.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import type { ActiveSession, SessionService } from '../sessions.js';
import type { UserDirectory } from '../user-directory.js';

export interface AccountDeletionDeps {
  users: Pick<UserStore, 'findById' | 'findByUsername' | 'setSuspended' | 'deleteUser'>;
  sessions: Pick<SessionService, 'revokeAll'>;
  groups: Pick<GroupService, 'list' | 'leave'>;
  messages: Pick<MessageStore, 'purgeUser'>;
  reports: Pick<ReportStore, 'forgetReporter'>;
  hasher: Pick<PasswordHasher, 'verify'>;
  /** Throttles password checks: a stolen session must not become a password oracle. */
  counters: Pick<Counters, 'reserve' | 'reset'>;
  /** Every node's cache of users: the deleted account must stop being a room's member everywhere. */
  directory?: Pick<UserDirectory, 'forgetEverywhere'>;
  now?: () => number;
}

/**
 * Deleting an account, on the user's request (password entered again) or an operator's. In this
 * order, each step safe to repeat if a later one fails:
 * 1. the account is flagged suspended: no session is issued from here on (SessionService.issue);
 * 2. every session ends and every socket of the user closes, on every node;
 * 3. the user's messages go: their 1:1 rooms whole, their messages in every group (`unsent`
 *    events, no text, to the other members);
 * 4. they leave every group through the group rules (the others get `group.changed`);
 * 5. the 1:1 rooms are purged once more (a send that was in flight when the sockets closed);
 * 6. reports they filed lose their reporter id (the reports stay: evidence for the operators);
 * 7. the account row goes, and with it their blocks both ways (foreign keys, on delete cascade);
 * 8. every node drops the user from its cache, so their 1:1 rooms refuse sends from now on, and
 *    the 1:1 rooms are purged a last time (a send that passed the cache before the notice).
 */
/** Password checks per user and window for a deletion (a re-entered password, not a sign-in). */
const DELETE_ATTEMPTS = 5;
const DELETE_WINDOW_MS = 15 * 60_000;

export class AccountDeletion {
  readonly #now: () => number;

  constructor(private readonly d: AccountDeletionDeps) {
    this.#now = d.now ?? Date.now;
  }

  /**
   * The signed-in user deletes their own account; a wrong password is `invalid_credentials`.
   * At most DELETE_ATTEMPTS password checks per user per window, counted before bcrypt runs (so
   * parallel guesses all count); the counter is dropped once the account is gone, so that it
   * leaves no trace of the user.
   */
  async deleteOwn(session: ActiveSession, password: string): Promise<void> {
    const key = `account-delete:${session.userId}`;
    const reserved = await this.d.counters.reserve([
      { key, max: DELETE_ATTEMPTS, windowMs: DELETE_WINDOW_MS },
    ]);
    if (!reserved.ok) {
      const retryAfter = Math.max(1, Math.ceil(reserved.retryInMs / 1000));
      throw new AppError('rate_limited', `Too many attempts. Try again in ${retryAfter} s.`, {
        retryAfter,
      });
    }
    const record = await this.d.users.findByUsername(session.username);
    const ok =
      record?.id === session.userId && (await this.d.hasher.verify(password, record.passwordHash));
    if (!ok) throw new AppError('invalid_credentials', 'Wrong password.');
    await this.delete(session.userId);
    await this.d.counters.reset(key);
  }

  /** Deletes the account and everything of it; false when there is no such user. */
  async delete(userId: string): Promise<boolean> {
    if (!(await this.d.users.findById(userId))) return false;
    await this.d.users.setSuspended(userId, true);
    await this.d.sessions.revokeAll(userId, 'deleted');
    const rooms = await this.#groupsOf(userId);
    await this.d.messages.purgeUser(userId, rooms, this.#now());
    for (const room of rooms) {
      try {
        await this.d.groups.leave(userId, room);
      } catch (err) {
        // Left meanwhile (removed by an admin, or a second deletion racing this one).
        if (!(err instanceof AppError && err.code === 'forbidden')) throw err;
      }
    }
    await this.d.messages.purgeUser(userId, [], this.#now());
    await this.d.reports.forgetReporter(userId);
    const deleted = await this.d.users.deleteUser(userId);
    if (this.d.directory) {
      await this.d.directory.forgetEverywhere(userId);
      await this.d.messages.purgeUser(userId, [], this.#now());
    }
    return deleted;
  }

  async #groupsOf(userId: string): Promise<string[]> {
    const rooms: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.d.groups.list(userId, after);
      rooms.push(...page.groups.map((g) => g.room));
      const last = page.groups.at(-1)?.room;
      if (!page.hasMore || last === undefined) return rooms;
      after = last;
    }
  }
}
