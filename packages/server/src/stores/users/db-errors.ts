/** The fields of a driver error we read: better-sqlite3 and pg both set `code`. */
function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/** A UNIQUE constraint refused the row (SQLite extended code; PostgreSQL SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// Locked or unreadable database file, or a full disk: retrying later can succeed.
const sqliteUnavailable = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL)/;
// SQLSTATE classes 08 connection exception, 53 insufficient resources, 57 operator intervention
// (57014 is our statement_timeout firing; 57P01 a server shutting down).
const pgUnavailable = /^(08|53|57)[0-9A-Z]{3}$/;
// pg reports its own timeouts and dead connections as plain Errors without a code.
const pgClientMessages =
  /timeout exceeded when trying to connect|Query read timeout|Connection terminated|not queryable|after calling end/i;

/** The database could not answer, as opposed to refusing what we asked. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = codeOf(err);
  if (typeof code === 'string') {
    if (networkCodes.has(code) || sqliteUnavailable.test(code) || pgUnavailable.test(code)) {
      return true;
    }
  }
  // Node tries each address of a host and reports the failures together.
  if (err instanceof AggregateError) return err.errors.some(isUnavailable);
  return pgClientMessages.test(err.message);
}

/** A one-line reason; an AggregateError from a refused connection has an empty message. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.map(describeError).join('; ');
  }
  if (err instanceof Error) return err.message || String(codeOf(err) ?? err.name);
  return String(err);
}
