import { randomBytes } from 'node:crypto';
import type { Report, ReportReason } from '@ephemeral-chat/protocol';
import type { Kysely, Selectable } from 'kysely';
import { UnavailableError } from '../../errors/app-error.js';
import { isUnavailable, isUniqueViolation } from '../users/db-errors.js';
import type { ReportDatabase, ReportsTable } from './db-schema.js';
import type { NewReport, ReportPageQuery, ReportStore } from './report-store.js';

type Db = Kysely<ReportDatabase>;

/**
 * A report id that sorts by creation time (fixed-width base-36 ms, then 96 random bits), so the
 * newest-first list pages on the primary key alone.
 */
export function newReportId(now: number): string {
  return `r${now.toString(36).padStart(9, '0')}${randomBytes(12).toString('hex')}`;
}

/** `ReportStore` on kysely, in the users' database; the same queries serve SQLite and PostgreSQL. */
export class KyselyReportStore implements ReportStore {
  constructor(private readonly db: Db) {}

  async add(r: NewReport): Promise<{ reportId: string; created: boolean }> {
    // A report past its retention but not yet swept would take the unique slot: drop it first.
    await this.#run(() =>
      this.db
        .deleteFrom('reports')
        .where('reporter_id', '=', r.reporterId)
        .where('room', '=', r.message.room)
        .where('seq', '=', r.message.seq)
        .where('expires_at', '<=', r.now)
        .execute(),
    );
    const existing = await this.#existing(r);
    if (existing) return { reportId: existing, created: false };
    const id = newReportId(r.now);
    try {
      await this.#run(() =>
        this.db
          .insertInto('reports')
          .values({
            id,
            reporter_id: r.reporterId,
            reason: r.reason,
            comment: r.comment ?? null,
            created_at: r.now,
            expires_at: r.expiresAt,
            source: r.source,
            room: r.message.room,
            seq: r.message.seq,
            sender_id: r.message.from,
            sender_username: r.message.fromUsername,
            text: r.message.text,
            client_msg_id: r.message.clientMsgId,
            message_created_at: r.message.createdAt,
            status: 'open',
            resolved_at: null,
            resolution: null,
          })
          .execute(),
      );
      return { reportId: id, created: true };
    } catch (err) {
      // A racing report of the same message won: answer with its id.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.#existing(r);
      if (!winner) throw err;
      return { reportId: winner, created: false };
    }
  }

  async get(reportId: string, now: number): Promise<Report | undefined> {
    const row = await this.#run(() =>
      this.db
        .selectFrom('reports')
        .selectAll()
        .where('id', '=', reportId)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    );
    return row && toReport(row);
  }

  async list(q: ReportPageQuery): Promise<Report[]> {
    let query = this.db
      .selectFrom('reports')
      .selectAll()
      .where('expires_at', '>', q.now)
      .orderBy('id', 'desc')
      .limit(q.limit);
    if (q.status !== 'all') query = query.where('status', '=', q.status);
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    const rows = await this.#run(() => query.execute());
    return rows.map(toReport);
  }

  async resolve(
    reportId: string,
    resolution: string | undefined,
    now: number,
  ): Promise<Report | undefined> {
    // Conditional on `open`: of two racing resolutions the first stays.
    await this.#run(() =>
      this.db
        .updateTable('reports')
        .set({ status: 'resolved', resolved_at: now, resolution: resolution ?? null })
        .where('id', '=', reportId)
        .where('status', '=', 'open')
        .execute(),
    );
    return this.get(reportId, now);
  }

  async forgetReporter(reporterId: string): Promise<void> {
    await this.#run(() =>
      this.db
        .updateTable('reports')
        .set({ reporter_id: null })
        .where('reporter_id', '=', reporterId)
        .execute(),
    );
  }

  async purge(now: number): Promise<number> {
    const result = await this.#run(() =>
      this.db.deleteFrom('reports').where('expires_at', '<=', now).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  async #existing(r: NewReport): Promise<string | undefined> {
    const row = await this.#run(() =>
      this.db
        .selectFrom('reports')
        .select('id')
        .where('reporter_id', '=', r.reporterId)
        .where('room', '=', r.message.room)
        .where('seq', '=', r.message.seq)
        .executeTakeFirst(),
    );
    return row?.id;
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw isUnavailable(err) ? new UnavailableError('database', err) : err;
    }
  }
}

function toReport(row: Selectable<ReportsTable>): Report {
  return {
    reportId: row.id,
    reporterId: row.reporter_id,
    reason: row.reason as ReportReason,
    comment: row.comment,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    source: row.source === 'copy' ? 'copy' : 'live',
    message: {
      room: row.room,
      seq: Number(row.seq),
      from: row.sender_id,
      fromUsername: row.sender_username,
      text: row.text,
      clientMsgId: row.client_msg_id,
      createdAt: Number(row.message_created_at),
    },
    status: row.status === 'resolved' ? 'resolved' : 'open',
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
    resolution: row.resolution,
  };
}
