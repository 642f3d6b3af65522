import type { ErrorDetail, ErrorPayload } from './error-body.js';
import type { ErrorCode } from './error-codes.js';

/*
 * The server's hand-built frames, one function each. The message event and the ack wrap the
 * message JSON as stored (never parsed and re-serialized on the send path), so every writer
 * (the memory engine, the Redis send script, the `send` handler) emits the same bytes.
 */

/** How every `message` event starts; the message JSON and `}` follow. The Redis send script builds its frame from it. */
export const messageEventPrefix = '{"type":"message","message":';

/** The `message` event around an already-serialized Message. */
export function encodeMessageEvent(messageJson: string): string {
  return `${messageEventPrefix}${messageJson}}`;
}

/** The `ack` of a `send` request around the already-serialized stored Message. */
export function encodeAck(id: number, messageJson: string): string {
  return `{"type":"ack","id":${id},"message":${messageJson}}`;
}

/** Optional fields of an error payload; undefined ones are left out. */
export interface ErrorExtras {
  /** Seconds to wait (with `rate_limited`). */
  retryAfter?: number | undefined;
  /** One entry per schema issue (with `validation_failed`). */
  details?: ErrorDetail[] | undefined;
}

/** The `error` object of an HTTP error body and of a WS `error` frame. */
export function errorPayload(
  code: ErrorCode,
  message: string,
  extras: ErrorExtras = {},
): ErrorPayload {
  return {
    code,
    message,
    ...(extras.retryAfter === undefined ? {} : { retryAfter: extras.retryAfter }),
    ...(extras.details === undefined ? {} : { details: extras.details }),
  };
}
