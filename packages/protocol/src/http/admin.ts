import { z } from 'zod';
import { publicUserSchema, timestampSchema, userIdSchema, usernameSchema } from '../primitives.js';
import { reportReasonSchema } from '../ws/client-frames.js';

/** Reports per page of `GET /api/admin/reports`, at most. */
export const adminReportsPageMax = 100;

const reportId = z.string().min(1).max(64);

/** A user named by id or by username (exactly one) in an admin request. */
export const adminUserRequestSchema = z.union([
  z.strictObject({ userId: userIdSchema }),
  z.strictObject({ username: usernameSchema }),
]);

/**
 * `GET /api/admin/reports` query: `status` (`open` by default, or `resolved`, `all`), newest
 * first; `before`: continue after the last `reportId` of the previous page; `limit` 1–100 (50).
 */
export const adminReportsQuerySchema = z.strictObject({
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  before: reportId.optional(),
  limit: z.coerce.number().int().min(1).max(adminReportsPageMax).default(50),
});

/** A stored report as an operator sees it (the reporter sees only its `reportId`). */
export const reportSchema = z.strictObject({
  reportId,
  /** Null once the reporter deleted their account (their reports stay, anonymous). */
  reporterId: userIdSchema.nullable(),
  reason: reportReasonSchema,
  comment: z.string().nullable(),
  createdAt: timestampSchema,
  /** When the report is purged (createdAt + REPORT_RETENTION_DAYS). */
  expiresAt: timestampSchema,
  /** `live`: copied by the server; `copy`: the reporter's copy, verified against its commitment. */
  source: z.enum(['live', 'copy']),
  message: z.strictObject({
    room: z.string(),
    /** As the reporter gave it for a `copy` (the commitment does not cover it). */
    seq: z.number().int().nonnegative(),
    from: userIdSchema,
    /** The sender's username when the report was made. */
    fromUsername: z.string().nullable(),
    text: z.string(),
    clientMsgId: z.string(),
    createdAt: timestampSchema,
  }),
  status: z.enum(['open', 'resolved']),
  resolvedAt: timestampSchema.nullable(),
  resolution: z.string().nullable(),
});

/** `GET /api/admin/reports` response; `hasMore`: ask again with `before` = the last `reportId`. */
export const adminReportsResponseSchema = z.strictObject({
  reports: z.array(reportSchema).max(adminReportsPageMax),
  hasMore: z.boolean(),
});

/** `POST /api/admin/reports/resolve` body; answers `{ report }` (resolving twice keeps the first). */
export const resolveReportRequestSchema = z.strictObject({
  reportId,
  /** What the operator did, for the record: at most 500 characters. */
  resolution: z.string().max(500).optional(),
});

export const adminReportResponseSchema = z.strictObject({ report: reportSchema });

/** `POST /api/admin/users/suspend`, `…/unsuspend`: the user and their state after the change. */
export const adminUserResponseSchema = z.strictObject({
  user: publicUserSchema,
  suspended: z.boolean(),
});

export type AdminUserRequest = z.infer<typeof adminUserRequestSchema>;
export type AdminReportsQuery = z.infer<typeof adminReportsQuerySchema>;
export type Report = z.infer<typeof reportSchema>;
export type AdminReportsResponse = z.infer<typeof adminReportsResponseSchema>;
export type ResolveReportRequest = z.infer<typeof resolveReportRequestSchema>;
export type AdminUserResponse = z.infer<typeof adminUserResponseSchema>;
