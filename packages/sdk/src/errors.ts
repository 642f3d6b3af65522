import type { ErrorCode, ErrorDetail, ErrorPayload } from '@ephemeral-chat/protocol';

/**
 * Codes the client raises itself, beside the server's `ErrorCode`s (the README says what each
 * means): `not_connected` (idle, closed or unauthorized: `connect()` first), `disconnected` (the
 * socket dropped under a one-shot request), `timeout` (no answer within `requestTimeoutMs`),
 * `expired` (a send's ttl ran out before the server stored it), `network` (server unreachable or
 * unreadable), `invalid_options` (`createClient` cannot use an option), `host_token_unavailable`
 * (the `hostToken` provider threw or gave no token).
 */
export const clientErrorCodes = [
  'not_connected',
  'disconnected',
  'timeout',
  'expired',
  'network',
  'invalid_options',
  'host_token_unavailable',
] as const;

export type ClientErrorCode = (typeof clientErrorCodes)[number];

/** Every code a `ChatError` can carry: the protocol's and the client's own. */
export type ChatErrorCode = ErrorCode | ClientErrorCode;

/** The one error class of the SDK: every rejection and `error` event carries one. */
export class ChatError extends Error {
  override readonly name = 'ChatError';
  /** Seconds to wait before retrying (`rate_limited` only). */
  readonly retryAfter: number | undefined;
  /** One entry per invalid field (`validation_failed` only). */
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(
    readonly code: ChatErrorCode,
    message: string,
    options: {
      cause?: unknown;
      retryAfter?: number | undefined;
      details?: readonly ErrorDetail[] | undefined;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.retryAfter = options.retryAfter;
    this.details = options.details;
  }
}

/**
 * Whether `err` is a `ChatError` (with `code`, when given): the check a `catch` needs, where
 * TypeScript types the error `unknown`. `if (!isChatError(err, 'username_taken')) throw err;`
 */
export function isChatError<C extends ChatErrorCode>(
  err: unknown,
  code?: C,
): err is ChatError & { readonly code: C } {
  return err instanceof ChatError && (code === undefined || err.code === code);
}

/** A server error payload (HTTP body or `error` frame) as a `ChatError`. */
export function fromPayload(p: ErrorPayload): ChatError {
  return new ChatError(p.code, p.message, p);
}

/** Anything thrown, as a `ChatError` (network failures become `network`). */
export function toChatError(err: unknown): ChatError {
  return err instanceof ChatError ? err : new ChatError('network', String(err), { cause: err });
}
