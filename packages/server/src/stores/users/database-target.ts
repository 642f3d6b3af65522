import { join, resolve } from 'node:path';

export type DatabaseTarget =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; url: string; schema: string };

export const defaultSqliteFile = 'ephemeral-chat.db';

/** A bare identifier: it is placed unquoted into `search_path`. */
const schemaName = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads `DATABASE_URL`: nothing → SQLite in `dataDir`; `postgres://` or `postgresql://` →
 * PostgreSQL; `sqlite:<path>`, `sqlite://<path>`, `sqlite::memory:` or a plain path → SQLite.
 */
export function parseDatabaseTarget(
  databaseUrl: string | undefined,
  dataDir: string,
  pgSchema = 'public',
): DatabaseTarget {
  const url = databaseUrl?.trim() ?? '';
  if (url === '') return { dialect: 'sqlite', path: join(dataDir, defaultSqliteFile) };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    if (!schemaName.test(pgSchema) || pgSchema.length > 63) {
      throw new Error(
        `The PostgreSQL schema "${pgSchema}" is not a plain lowercase identifier (${schemaName.source}, at most 63 characters).`,
      );
    }
    return { dialect: 'postgres', url, schema: pgSchema };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme?.toLowerCase() === 'sqlite') {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === ':memory:') return { dialect: 'sqlite', path };
    return { dialect: 'sqlite', path: resolve(path) };
  }
  // One letter is a Windows drive (C:\data\chat.db), not a scheme.
  if (scheme !== undefined && scheme.length > 1) {
    throw new Error(
      `DATABASE_URL "${scheme}:" is not supported: use postgres://…, sqlite:<path> or a file path.`,
    );
  }
  return { dialect: 'sqlite', path: resolve(url) };
}
