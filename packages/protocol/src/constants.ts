/**
 * The protocol's runtime constants, free of zod: clients that bundle for the browser import these
 * (`@ephemeral-chat/protocol/constants`) without pulling the schemas in.
 */
export {
  type ErrorExtras,
  encodeAck,
  encodeMessageEvent,
  errorPayload,
  messageEventPrefix,
} from './encode.js';
export { type ErrorCode, errorCodeList, errorCodes, isErrorCode } from './error-codes.js';
export {
  type BurnChoice,
  burnChoices,
  expiry,
  isValidTtl,
  type TtlChoice,
  ttlChoices,
} from './expiry.js';
export { type Limits, limits } from './limits.js';
export { type ReportReasonName, reportReasons } from './report-reasons.js';
export { type CloseReason, closeCodes } from './ws/close-codes.js';
