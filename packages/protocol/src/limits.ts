/**
 * Limits every party enforces. The server may be configured tighter for some of them
 * (body size, send rate); these are the protocol's own bounds and defaults.
 */
export const limits = {
  /** Usernames: 3–32 of `[A-Za-z0-9_]`, unique case-insensitively, case kept for display. */
  usernameMinLength: 3,
  usernameMaxLength: 32,
  /** Passwords: at least 8 Unicode code points (NIST SP 800-63B), at most 256. */
  passwordMinLength: 8,
  passwordMaxLength: 256,
  /** Search: a prefix of 1–32 username characters, at most 20 results. */
  searchQueryMaxLength: 32,
  searchMaxResults: 20,
  /** Message text: 1–4,000 Unicode code points. */
  messageMaxLength: 4000,
  /** Client message ids: 1–64 characters from `[A-Za-z0-9_-]`. */
  clientMsgIdMaxLength: 64,
  /** Default cap of an HTTP request body in bytes (server option `MAX_BODY_BYTES`). */
  httpBodyMaxBytes: 16 * 1024,
  /** Default cap of one WebSocket frame in bytes (server option `WS_MAX_PAYLOAD_BYTES`). */
  wsFrameMaxBytes: 16 * 1024,
  /** Messages returned by one history page, at most. */
  historyPageMax: 100,
  /**
   * Bytes of one reply (`opened`, `history`, `resumed`, `chats`) as sent, at most, unless it
   * holds a single message (a read always makes progress). Well under the default send buffer
   * (`WS_MAX_BACKPRESSURE_BYTES`, 1 MiB); a server clamps it to a quarter of its own.
   * A page cut by bytes says `hasMore`, and the client continues from its last `seq`.
   */
  replyMaxBytes: 256 * 1024,
  /** `chats` carries a preview of each chat's newest message: its text cut to this many code points. */
  chatPreviewMaxLength: 200,
  /** Users one connection may watch for presence, at most. */
  presenceWatchMax: 200,
  /** Group names: 1–64 Unicode code points, at least one visible, no control characters. */
  groupNameMaxLength: 64,
  /**
   * Members of one group, at most (server option `GROUP_MAX_MEMBERS`, this by default), and the
   * usernames one `group.create` or `group.add` may carry.
   */
  groupMaxMembers: 256,
  /** Groups one user may be a member of, by default (server option `GROUPS_MAX_PER_USER`). */
  groupsPerUserMax: 100,
  /** Groups one `groups` reply lists, at most; continue with `after`. */
  groupsPageMax: 100,
  /** Session lifetime: 24 h absolute, from login. */
  sessionTtlMs: 24 * 60 * 60 * 1000,
  /** Presence keys live this long unless refreshed by a live connection. */
  presenceTtlMs: 60 * 1000,
} as const;

export type Limits = typeof limits;
