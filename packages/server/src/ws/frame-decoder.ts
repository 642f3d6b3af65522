import {
  type ClientFrame,
  clientFrameSchema,
  clientFrameTypes,
  type ErrorDetail,
  limits,
} from '@ephemeral-chat/protocol';
import { AppError } from '../errors/app-error.js';
import { toDetails } from '../transport/details.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const knownTypes: ReadonlySet<string> = new Set(clientFrameTypes);

/** Deepest JSON nesting a frame may have; every real frame is at most 3 levels deep. */
export const MAX_FRAME_DEPTH = 32;
/** Longest message of an error the decoder answers with: it never echoes input at length. */
export const MAX_ERROR_MESSAGE = 200;
const MAX_DETAILS = 8;

export type Decoded = { frame: ClientFrame } | { error: AppError; id?: number };

/**
 * A raw frame to a validated ClientFrame, or the documented error with the request id echoed
 * when one could be read. uWS frees `data` after the handler returns; this runs synchronously.
 * Nothing here throws on any input, and no error carries more than a short snippet of it.
 */
export function decodeFrame(data: ArrayBuffer, isBinary: boolean): Decoded {
  if (isBinary) return { error: new AppError('invalid_json', 'Frames are JSON text, not binary.') };
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(data));
  } catch {
    return { error: new AppError('invalid_json', 'The frame is not valid JSON.') };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { error: new AppError('validation_failed', 'A frame is a JSON object with a type.') };
  }
  const record = raw as Record<string, unknown>;
  const id =
    Number.isSafeInteger(record.id) && (record.id as number) >= 0
      ? (record.id as number)
      : undefined;
  const withId = (error: AppError): Decoded => (id === undefined ? { error } : { error, id });
  // Before the schema: zod and any serializer recurse, and deep input must not reach them.
  if (tooDeep(raw, MAX_FRAME_DEPTH)) {
    return withId(
      new AppError('validation_failed', `Frames nest at most ${MAX_FRAME_DEPTH} levels deep.`),
    );
  }
  if (typeof record.type !== 'string' || !knownTypes.has(record.type)) {
    return withId(new AppError('unknown_type', `Unknown frame type ${describe(record.type)}.`));
  }
  const parsed = clientFrameSchema.safeParse(raw);
  if (parsed.success) return { frame: parsed.data };
  const tooLong = parsed.error.issues.some((i) => i.path[0] === 'text' && i.code === 'too_big');
  if (tooLong) {
    // The same words as the service's check: a client shows them as they are.
    const message = `Messages have at most ${limits.messageMaxLength} characters.`;
    return withId(new AppError('message_too_long', message));
  }
  const details = toDetails(parsed.error).slice(0, MAX_DETAILS).map(clipDetail);
  const first = details[0];
  const message = first
    ? `${first.path ? `${first.path}: ` : ''}${first.message}`
    : 'Invalid frame.';
  return withId(new AppError('validation_failed', clip(message), { details }));
}

/** True when `value` nests arrays/objects deeper than `max`; bounded recursion (≤ max + 1). */
export function tooDeep(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (tooDeep(child, max - 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (tooDeep(record[key], max - 1)) return true;
  return false;
}

/** A short, quoted snippet of a string, or only the JSON type of anything else. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(clip(value, 32));
  if (value === undefined) return '(missing)';
  if (value === null) return 'null';
  return Array.isArray(value) ? '(an array)' : `(a ${typeof value})`;
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair. */
function clip(s: string, max = MAX_ERROR_MESSAGE): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  return `${last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut}…`;
}

function clipDetail(d: ErrorDetail): ErrorDetail {
  return { path: clip(d.path, 64), message: clip(d.message) };
}
