export type { ReportDatabase, ReportTables } from './db-schema.js';
export { KyselyReportStore } from './kysely-report-store.js';
export { reportMigrations } from './migrations.js';
export type { NewReport, ReportPageQuery, ReportStore } from './report-store.js';
