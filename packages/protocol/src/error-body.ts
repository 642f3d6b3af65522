import { z } from 'zod';
import { type ErrorCode, errorCodeList } from './error-codes.js';

export const errorDetailSchema = z.strictObject({
  /** Dotted path of the offending field, empty for the whole input. */
  path: z.string(),
  message: z.string(),
});

export const errorPayloadSchema = z.strictObject({
  code: z.enum(errorCodeList as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  /** Seconds to wait before retrying (only with `rate_limited`). */
  retryAfter: z.number().int().nonnegative().optional(),
  /** One entry per schema issue (only with `validation_failed`). */
  details: z.array(errorDetailSchema).optional(),
});

/** Every HTTP error response body. */
export const errorBodySchema = z.strictObject({ error: errorPayloadSchema });

export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
