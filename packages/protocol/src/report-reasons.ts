/**
 * Why a message is reported: a fixed list, in the order a UI offers them (`other` last, with a
 * comment for anything else). Free of zod, so clients get it from `@ephemeral-chat/protocol/constants`.
 */
export const reportReasons = [
  'spam',
  'harassment',
  'hate',
  'sexual',
  'violence',
  'self_harm',
  'other',
] as const;
export type ReportReasonName = (typeof reportReasons)[number];
