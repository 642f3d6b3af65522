import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testDatabaseUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function withClient<T>(
  timeoutMs: number,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: testDatabaseUrl,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Fails fast, with a message that says what to do, when the test PostgreSQL is not running: the
 * PostgreSQL suites must not hang or be skipped silently.
 */
export async function requirePostgres(): Promise<void> {
  try {
    await withClient(2000, (client) => client.query('select 1'));
  } catch (err) {
    const reason = err instanceof AggregateError ? err.errors.join('; ') : String(err);
    throw new Error(
      `PostgreSQL is not reachable at ${testDatabaseUrl} (${reason}). Start one or point the ` +
        'tests at one with TEST_DATABASE_URL=postgres://user@host:port/database.',
    );
  }
}

/** A schema of this suite's own, so parallel suites never meet. */
export function uniqueSchemaName(): string {
  return `ec_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a throwaway schema and everything in it. */
export async function dropSchema(name: string): Promise<void> {
  if (!/^ec_test_[a-f0-9]+$/.test(name)) throw new Error(`Refusing to drop schema "${name}".`);
  await withClient(5000, (client) => client.query(`drop schema if exists "${name}" cascade`));
}
