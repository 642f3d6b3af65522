import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseBackend, databaseBackends } from '../../../test/helpers/databases.js';
import { openDatabase } from '../users/create-user-store.js';
import type { UserStore } from '../users/user-store.js';
import type { ReportDatabase, ReportTables } from './db-schema.js';
import { KyselyReportStore } from './kysely-report-store.js';
import type { NewReport, ReportStore } from './report-store.js';

const DAY = 86_400_000;
const t0 = 1_780_000_000_000;

const report = (over: Partial<NewReport> = {}, seq = 1): NewReport => ({
  reporterId: 'reporter-1',
  reason: 'spam',
  comment: 'buy now',
  now: t0,
  expiresAt: t0 + 30 * DAY,
  source: 'live',
  message: {
    room: 'dm:a:b',
    seq,
    from: 'sender-1',
    fromUsername: 'sender',
    text: 'buy my stuff',
    clientMsgId: `c${seq}`,
    createdAt: t0 - 1000,
  },
  ...over,
});

/** One contract for every ReportStore, on SQLite and on real PostgreSQL. */
function reportStoreContract(backend: DatabaseBackend) {
  describe(`ReportStore contract: ${backend.name}`, () => {
    let cleanup: () => Promise<void>;
    let users: UserStore;
    let db: Kysely<ReportDatabase>;
    let store: ReportStore;

    beforeEach(async () => {
      const b = await backend.options();
      cleanup = b.cleanup;
      const opened = await openDatabase(b.options);
      users = opened.users;
      db = opened.db.withTables<ReportTables>();
      store = new KyselyReportStore(db);
    });
    afterEach(async () => {
      await users.close();
      await cleanup();
    });

    it('stores a report with its message copy and reads it back', async () => {
      const { reportId, created } = await store.add(report());
      expect(created).toBe(true);
      expect(await store.get(reportId, t0)).toEqual({
        reportId,
        reporterId: 'reporter-1',
        reason: 'spam',
        comment: 'buy now',
        createdAt: t0,
        expiresAt: t0 + 30 * DAY,
        source: 'live',
        message: report().message,
        status: 'open',
        resolvedAt: null,
        resolution: null,
      });
    });

    it('keeps one report per reporter and message, also when two race', async () => {
      const results = await Promise.all([
        store.add(report()),
        store.add(report()),
        store.add(report()),
      ]);
      expect(new Set(results.map((r) => r.reportId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const other = await store.add(report({ reporterId: 'reporter-2' }));
      expect(other.created).toBe(true);
      expect(await store.list({ status: 'all', limit: 10, now: t0 })).toHaveLength(2);
    });

    it('lists newest first by status, paging with before', async () => {
      const ids: string[] = [];
      for (let i = 1; i <= 5; i++) ids.push((await store.add(report({ now: t0 + i }, i))).reportId);
      await store.resolve(ids[1] ?? '', 'warned', t0 + 10);
      const open = await store.list({ status: 'open', limit: 2, now: t0 + 10 });
      expect(open.map((r) => r.reportId)).toEqual([ids[4], ids[3]]);
      const next = await store.list({ status: 'open', limit: 2, before: ids[3], now: t0 + 10 });
      expect(next.map((r) => r.reportId)).toEqual([ids[2], ids[0]]);
      const resolved = await store.list({ status: 'resolved', limit: 10, now: t0 + 10 });
      expect(resolved.map((r) => [r.reportId, r.status, r.resolution])).toEqual([
        [ids[1], 'resolved', 'warned'],
      ]);
    });

    it('keeps the first resolution when a report is resolved twice', async () => {
      const { reportId } = await store.add(report());
      expect(await store.resolve(reportId, 'first', t0 + 1)).toMatchObject({
        status: 'resolved',
        resolvedAt: t0 + 1,
        resolution: 'first',
      });
      expect(await store.resolve(reportId, 'second', t0 + 2)).toMatchObject({
        resolution: 'first',
      });
      expect(await store.resolve('no-such', 'x', t0)).toBeUndefined();
    });

    it('never reads a report past its retention, and purges it', async () => {
      const { reportId } = await store.add(report({ expiresAt: t0 + DAY }));
      await store.add(report({ expiresAt: t0 + 2 * DAY }, 2));
      expect(await store.get(reportId, t0 + DAY)).toBeUndefined();
      expect(await store.list({ status: 'all', limit: 10, now: t0 + DAY })).toHaveLength(1);
      expect(await store.purge(t0 + DAY)).toBe(1);
      const rows = await db.selectFrom('reports').select('id').execute();
      expect(rows.map((r) => r.id)).not.toContain(reportId);
    });

    it('takes a new report of a message whose earlier report expired but was not yet purged', async () => {
      const first = await store.add(report({ expiresAt: t0 + DAY }));
      const again = await store.add(report({ now: t0 + DAY, expiresAt: t0 + 31 * DAY }));
      expect(again.created).toBe(true);
      expect(again.reportId).not.toBe(first.reportId);
    });

    it('clears the reporter of every report they filed, keeping the reports', async () => {
      const { reportId } = await store.add(report());
      await store.add(report({ reporterId: 'reporter-2' }));
      await store.forgetReporter('reporter-1');
      expect((await store.get(reportId, t0))?.reporterId).toBeNull();
      const rows = await db.selectFrom('reports').select('reporter_id').execute();
      expect(rows.map((r) => r.reporter_id).sort()).toEqual([null, 'reporter-2'].sort());
    });
  });
}

for (const backend of databaseBackends) reportStoreContract(backend);
