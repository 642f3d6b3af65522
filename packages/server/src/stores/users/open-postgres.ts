import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './db-schema.js';

export interface OpenPostgresOptions {
  url: string;
  /** A validated identifier: it goes into the connection's startup options unquoted. */
  schema: string;
  /** An idle client lost its connection; without a listener pg would crash the process. */
  onIdleError(err: Error): void;
}

/**
 * A small pool whose every wait is bounded, so an outage turns into errors within seconds
 * instead of requests that hang.
 */
export function openPostgres({ url, schema, onIdleError }: OpenPostgresOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    // The server cancels a slow statement; the client gives up on a server that stopped answering.
    statement_timeout: 5000,
    query_timeout: 6000,
    keepAlive: true,
    application_name: 'ephemeral-chat',
    // search_path on every connection, so unqualified table names resolve to our schema.
    options: `-c search_path=${schema}`,
  });
  pool.on('error', onIdleError);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
