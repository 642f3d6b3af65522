import { type ClientFrame, errorPayload, type ServerFrame } from '@ephemeral-chat/protocol';
import type { AppError } from '../errors/app-error.js';

/** The error frame for `err`, echoing the request id when there is one. */
export function errorFrame(err: AppError, id: number | undefined): ServerFrame {
  return {
    type: 'error',
    ...(id === undefined ? {} : { id }),
    error: errorPayload(err.code, err.message, err),
  };
}

/** `rate_limited` with a whole number of seconds to wait (at least 1). */
export function rateLimited(frame: ClientFrame, waitMs: number, why = 'Slow down'): ServerFrame {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    type: 'error',
    ...('id' in frame ? { id: frame.id } : {}),
    error: errorPayload('rate_limited', `${why}; retry in ${retryAfter} s.`, { retryAfter }),
  };
}

/** Any frame but `auth` and `ping` before the socket has a session. */
export function authRequired(frame: ClientFrame): ServerFrame {
  const error = errorPayload('auth_required', 'Send an auth frame first.');
  return { type: 'error', ...('id' in frame ? { id: frame.id } : {}), error };
}
