import { type ErrorCode, type ErrorDetail, errorCodes } from '@ephemeral-chat/protocol';

export interface AppErrorOptions {
  cause?: unknown;
  /** Seconds until a retry can succeed (with `rate_limited`). */
  retryAfter?: number;
  details?: ErrorDetail[];
}

/** The one error type the server answers with: a protocol error code and a safe message. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryAfter: number | undefined;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(message ?? errorCodes[code].description, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryAfter = options.retryAfter;
    this.details = options.details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

/** Thrown by stores when their backing service cannot answer (timeout, connection refused). */
export class UnavailableError extends AppError {
  constructor(what: 'engine' | 'database', cause?: unknown) {
    super(
      'unavailable',
      `The ${what === 'engine' ? 'message store' : 'database'} is unavailable; retry shortly.`,
      {
        cause,
      },
    );
    this.name = 'UnavailableError';
  }
}

/** Turns anything thrown into an AppError; unknown errors become `internal`. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('internal', undefined, { cause: err });
}
