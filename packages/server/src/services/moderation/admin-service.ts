import type {
  AdminReportsQuery,
  AdminReportsResponse,
  AdminUserRequest,
  AdminUserResponse,
  PublicUser,
  Report,
} from '@ephemeral-chat/protocol';
import { AppError } from '../../errors/app-error.js';
import type { ReportStore } from '../../stores/reports/report-store.js';
import type { UserStore } from '../../stores/users/user-store.js';
import type { SessionService } from '../sessions.js';
import type { AccountDeletion } from './account-deletion.js';

export interface AdminServiceDeps {
  users: Pick<UserStore, 'findById' | 'findByUsername' | 'setSuspended' | 'isSuspended'>;
  sessions: Pick<SessionService, 'revokeAll'>;
  reports: Pick<ReportStore, 'list' | 'resolve'>;
  deletion: Pick<AccountDeletion, 'delete'>;
  now?: () => number;
}

/** What operators may do: the admin HTTP API and the `ephemeral-chat admin` CLI call these. */
export class AdminService {
  readonly #now: () => number;

  constructor(private readonly d: AdminServiceDeps) {
    this.#now = d.now ?? Date.now;
  }

  async listReports(q: AdminReportsQuery): Promise<AdminReportsResponse> {
    const rows = await this.d.reports.list({
      status: q.status,
      before: q.before,
      limit: q.limit + 1,
      now: this.#now(),
    });
    return { reports: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
  }

  async resolveReport(reportId: string, resolution: string | undefined): Promise<Report> {
    const report = await this.d.reports.resolve(reportId, resolution, this.#now());
    if (!report) throw new AppError('not_found', 'No such report (or it has been purged).');
    return report;
  }

  /**
   * Suspends the user: the flag first (no new session from then on), then every session ends and
   * every socket closes on every node; the reply comes after both.
   */
  async suspend(who: AdminUserRequest): Promise<AdminUserResponse> {
    const user = await this.#find(who);
    await this.d.users.setSuspended(user.id, true);
    await this.d.sessions.revokeAll(user.id, 'suspended');
    return { user, suspended: true };
  }

  async unsuspend(who: AdminUserRequest): Promise<AdminUserResponse> {
    const user = await this.#find(who);
    await this.d.users.setSuspended(user.id, false);
    return { user, suspended: false };
  }

  async deleteUser(who: AdminUserRequest): Promise<void> {
    const user = await this.#find(who);
    if (!(await this.d.deletion.delete(user.id))) throw unknownUser();
  }

  async #find(who: AdminUserRequest): Promise<PublicUser> {
    const found =
      'userId' in who
        ? await this.d.users.findById(who.userId)
        : await this.d.users.findByUsername(who.username);
    if (!found) throw unknownUser();
    return { id: found.id, username: found.username };
  }
}

function unknownUser(): AppError {
  return new AppError('user_not_found', 'No such user.');
}
