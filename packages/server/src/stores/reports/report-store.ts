import type { Report, ReportReason } from '@ephemeral-chat/protocol';

/** A report to store; the store assigns its id. */
export interface NewReport {
  reporterId: string;
  reason: ReportReason;
  comment: string | undefined;
  now: number;
  /** now + REPORT_RETENTION_DAYS. */
  expiresAt: number;
  source: 'live' | 'copy';
  message: Report['message'];
}

export interface ReportPageQuery {
  status: 'open' | 'resolved' | 'all';
  /** Continue after this report id (the last of the previous page). */
  before?: string | undefined;
  limit: number;
  now: number;
}

/**
 * Reports of messages, kept until their `expiresAt` (REPORT_RETENTION_DAYS): read only by the
 * operators (and the reporter, who holds the id). Reads never return an expired report; `purge`
 * deletes them. Throws `UnavailableError` when the database cannot be reached.
 */
export interface ReportStore {
  /**
   * Stores the report, or returns the one this reporter already filed about (room, seq):
   * `created` false. Two racing reports of one message store one.
   */
  add(report: NewReport): Promise<{ reportId: string; created: boolean }>;
  get(reportId: string, now: number): Promise<Report | undefined>;
  /** Newest first, `limit` at most. */
  list(query: ReportPageQuery): Promise<Report[]>;
  /** Marks it resolved (the first resolution stays); undefined when there is no such report. */
  resolve(
    reportId: string,
    resolution: string | undefined,
    now: number,
  ): Promise<Report | undefined>;
  /** Clears the reporter of every report they filed (their account is being deleted). */
  forgetReporter(reporterId: string): Promise<void>;
  /** Deletes every report past its expiresAt; the number deleted. */
  purge(now: number): Promise<number>;
}
