import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL both nodes share: TEST_DATABASE_URL as the server's tests use, else local `test`. */
export const databaseUrl =
  process.env.SOAK_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** A schema of the run's own (the server creates it and its tables on start). */
export function soakSchemaName(): string {
  return `ec_soak_${randomBytes(6).toString('hex')}`;
}

/** Drops the run's schema and everything in it; refuses any name it did not make. */
export async function dropSchema(name: string): Promise<void> {
  if (!/^ec_soak_[a-f0-9]+$/.test(name)) throw new Error(`Refusing to drop schema "${name}".`);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`drop schema if exists "${name}" cascade`);
  } finally {
    await client.end().catch(() => {});
  }
}
