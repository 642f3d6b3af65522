import type { ReportReason } from '@ephemeral-chat/protocol';

/**
 * The reasons a report may give, in the order a UI offers them (`other` last, with a comment).
 * The protocol's list lives beside its zod schemas; this copy keeps zod out of the bundle, and
 * `report-reasons.test.ts` checks that the two agree.
 */
export const reportReasons = [
  'spam',
  'harassment',
  'hate',
  'sexual',
  'violence',
  'self_harm',
  'other',
] as const satisfies readonly ReportReason[];
