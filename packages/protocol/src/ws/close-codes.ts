/**
 * WebSocket close codes the server uses (4000–4999 are the application's range, RFC 6455 §7.4.2).
 * A client reconnects after every code except those marked `final`.
 */
export const closeCodes = {
  /** Server shutting down; reconnect (to another node). */
  going_away: { code: 1001, final: false },
  /** The server failed unexpectedly on this connection (it has been logged); reconnect. */
  internal_error: { code: 1011, final: false },
  /** A backing store (Redis) could not answer while authenticating; reconnect shortly. */
  try_again_later: { code: 1013, final: false },
  /** No `auth` frame arrived in time after opening. */
  auth_timeout: { code: 4001, final: false },
  /** The session token was rejected: sign in again. */
  session_invalid: { code: 4003, final: true },
  /** The session was ended by logout or reached its 24 h expiry. */
  session_ended: { code: 4004, final: true },
  /** The client read too slowly and its send buffer passed the limit; resume after reconnect. */
  slow_consumer: { code: 4008, final: false },
  /** The client kept sending frames that cannot be read (too many errors in a row). */
  protocol_violation: { code: 4009, final: false },
  /** The user already has the most sockets allowed on this node; reconnect with backoff. */
  too_many_connections: { code: 4029, final: false },
} as const;

export type CloseReason = keyof typeof closeCodes;
