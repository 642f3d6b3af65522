export { blockedMessage, blocksMax } from './blocks.js';
export {
  type ErrorExtras,
  encodeAck,
  encodeMessageEvent,
  errorPayload,
  messageEventPrefix,
} from './encode.js';
export {
  type ErrorBody,
  type ErrorDetail,
  type ErrorPayload,
  errorBodySchema,
  errorDetailSchema,
  errorPayloadSchema,
} from './error-body.js';
export { type ErrorCode, errorCodeList, errorCodes, isErrorCode } from './error-codes.js';
export {
  type BurnChoice,
  burnChoices,
  expiry,
  isValidTtl,
  type TtlChoice,
  ttlChoices,
} from './expiry.js';
export * from './http/account.js';
export * from './http/admin.js';
export * from './http/auth.js';
export * from './http/health.js';
export * from './http/host-session.js';
export * from './http/users.js';
export { type Limits, limits } from './limits.js';
export * from './primitives.js';
export { type ReportReasonName, reportReasons } from './report-reasons.js';
export * from './ws/client-frames.js';
export { type CloseReason, closeCodes } from './ws/close-codes.js';
export * from './ws/message.js';
export type { ReplyMap, ReplyTo, RequestType } from './ws/replies.js';
export * from './ws/server-frames.js';
