import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropSchema,
  requirePostgres,
  testDatabaseUrl,
  uniqueSchemaName,
} from '@ephemeral-chat/testkit';
import type { CreateUserStoreOptions } from '../../src/stores/users/create-user-store.js';

/** One database a SQL store's contract suite runs against: options for openDatabase, and its cleanup. */
export interface DatabaseBackend {
  name: string;
  options(): Promise<{ options: CreateUserStoreOptions; cleanup(): Promise<void> }>;
}

/** SQLite in a fresh directory. */
export const sqliteBackend: DatabaseBackend = {
  name: 'SQLite',
  async options() {
    const dataDir = await mkdtemp(join(tmpdir(), 'ec-store-'));
    return { options: { dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

let postgresReady: Promise<void> | undefined;
/** The real PostgreSQL, in a schema of its own (dropped afterwards). */
export const postgresBackend: DatabaseBackend = {
  name: 'PostgreSQL',
  async options() {
    postgresReady ??= requirePostgres();
    await postgresReady;
    const pgSchema = uniqueSchemaName();
    return {
      options: { databaseUrl: testDatabaseUrl, dataDir: tmpdir(), pgSchema },
      cleanup: () => dropSchema(pgSchema),
    };
  },
};

/** Every database the SQL stores support. */
export const databaseBackends = [sqliteBackend, postgresBackend] as const;
