import { type ClientFrame, clientFrameSchema, clientFrameTypes } from '@ephemeral-chat/protocol';
import { AppError } from '../errors/app-error.js';
import { toDetails } from '../http/parse.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const knownTypes: ReadonlySet<string> = new Set(clientFrameTypes);

export type Decoded = { frame: ClientFrame } | { error: AppError; id?: number };

/**
 * A raw frame to a validated ClientFrame, or the documented error with the request id echoed
 * when one could be read. uWS frees `data` after the handler returns; this runs synchronously.
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
  if (typeof record.type !== 'string' || !knownTypes.has(record.type)) {
    return withId(
      new AppError('unknown_type', `Unknown frame type ${JSON.stringify(record.type)}.`),
    );
  }
  const parsed = clientFrameSchema.safeParse(raw);
  if (parsed.success) return { frame: parsed.data };
  const tooLong = parsed.error.issues.some((i) => i.path[0] === 'text' && i.code === 'too_big');
  if (tooLong) return withId(new AppError('message_too_long', 'The message text is too long.'));
  const details = toDetails(parsed.error);
  const first = details[0];
  const message = first
    ? `${first.path ? `${first.path}: ` : ''}${first.message}`
    : 'Invalid frame.';
  return withId(new AppError('validation_failed', message, { details }));
}
