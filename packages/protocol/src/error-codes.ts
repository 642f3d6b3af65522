/**
 * Every error the server can answer with, over HTTP (`{ error: { code, message } }` with
 * `status`) or WebSocket (an `error` frame). Codes are data: the union below is derived from
 * this one map, and docs/protocol.md lists each entry.
 */
export const errorCodes = {
  invalid_json: { status: 400, description: 'The body or frame is not valid JSON.' },
  validation_failed: {
    status: 400,
    description: 'The body, query or frame does not match its schema; `details` lists each issue.',
  },
  weak_password: {
    status: 400,
    description: 'The password is among the most common ones, or equals the username.',
  },
  auth_required: { status: 401, description: 'No session token or cookie was presented.' },
  session_invalid: {
    status: 401,
    description: 'The session token is unknown, expired or revoked: sign in again.',
  },
  invalid_credentials: { status: 401, description: 'Wrong username or password.' },
  origin_not_allowed: {
    status: 403,
    description: 'The request comes from an Origin that the server does not allow.',
  },
  forbidden: { status: 403, description: 'The user may not access this resource (not a member).' },
  not_found: { status: 404, description: 'No such route or resource.' },
  user_not_found: { status: 404, description: 'No user has that username.' },
  method_not_allowed: { status: 405, description: 'The route exists but not for this method.' },
  username_taken: {
    status: 409,
    description: 'That username is already registered (compared case-insensitively).',
  },
  group_full: {
    status: 409,
    description:
      'The group would have more members than the server allows (`GROUP_MAX_MEMBERS`); nobody was added.',
  },
  too_many_groups: {
    status: 409,
    description:
      'A user would be in more groups than the server allows (`GROUPS_MAX_PER_USER`); nothing changed.',
  },
  blocked: {
    status: 403,
    description:
      'A block stands between the two users (either one blocked the other): "You can\'t message this user."',
  },
  not_admin: { status: 403, description: 'Only an admin of the group may do this.' },
  account_suspended: {
    status: 403,
    description:
      'An operator suspended this account: it cannot sign in, and its sessions were ended.',
  },
  evidence_rejected: {
    status: 422,
    description:
      "A report's copy of an expired message does not match the server's commitment (altered, forged, or older than `REPORT_EVIDENCE_DAYS`).",
  },
  message_expired: {
    status: 410,
    description:
      'The reported message is no longer live: report it again with your copy (`copy`, with its `mac`).',
  },
  admin_token_invalid: {
    status: 401,
    description:
      'The admin API needs `Authorization: Bearer <ADMIN_TOKEN>`; it was missing or wrong.',
  },
  local_accounts_disabled: {
    status: 403,
    description:
      'Local registration and sign-in are turned off (`LOCAL_ACCOUNTS=false`): sign in through the host site.',
  },
  host_auth_disabled: {
    status: 404,
    description:
      'Host sign-in is not configured on this server (no `HOST_JWT_SECRET` or `HOST_JWKS_URL`).',
  },
  host_token_invalid: {
    status: 401,
    description:
      'The host token is not a well-formed JWT, uses an algorithm the server does not accept, names an unknown key (`kid`), or its signature does not verify.',
  },
  host_token_expired: {
    status: 401,
    description: 'The host token is past its `exp` (or before its `nbf`): get a fresh one.',
  },
  host_token_claims: {
    status: 401,
    description:
      'The host token lacks `sub`, `iss`, `aud` or `exp`, or its `iss` or `aud` is not the one the server expects.',
  },
  host_token_lifetime: {
    status: 401,
    description: "The host token's `exp` is more than 24 h ahead: issue shorter-lived tokens.",
  },
  payload_too_large: { status: 413, description: 'The body or frame exceeds its size limit.' },
  unsupported_media_type: {
    status: 415,
    description: 'A request body must be sent as `Content-Type: application/json`.',
  },
  message_too_long: { status: 400, description: 'The message text exceeds its length limit.' },
  rate_limited: {
    status: 429,
    description: 'Too many attempts; `retryAfter` says how many seconds to wait.',
  },
  too_many_connections: {
    status: 429,
    description: 'The user has the most WebSocket connections allowed on this node open already.',
  },
  unknown_type: { status: 400, description: 'The frame `type` is not one the server knows.' },
  unavailable: {
    status: 503,
    description: 'A backing store (Redis or the database) is unreachable; retry shortly.',
  },
  internal: { status: 500, description: 'An unexpected server error; it has been logged.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof errorCodes;

export const errorCodeList = Object.keys(errorCodes) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}
