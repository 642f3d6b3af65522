import type { ErrorDetail } from '@ephemeral-chat/protocol';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/** Parses unknown input with a protocol schema, or throws `validation_failed` with details. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', summarize(parsed.error), {
    details: toDetails(parsed.error),
  });
}

/** Details echo the input's field names: bounded in count and length whatever was sent. */
const MAX_DETAILS = 10;
const MAX_KEYS_NAMED = 5;
const MAX_TEXT = 100;

export function toDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.slice(0, MAX_DETAILS).map((issue) => ({
    path: clip(issue.path.map(String).join('.')),
    message: clip(issue.code === 'unrecognized_keys' ? unknownKeys(issue.keys) : issue.message),
  }));
}

function unknownKeys(keys: string[]): string {
  const named = keys.slice(0, MAX_KEYS_NAMED).map((k) => clip(k, 32));
  const more = keys.length > named.length ? ` and ${keys.length - named.length} more` : '';
  return `Unknown field(s): ${named.join(', ')}${more}.`;
}

function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function summarize(error: z.ZodError): string {
  const first = toDetails(error)[0];
  if (!first) return 'The input is invalid.';
  return first.path ? `${first.path}: ${first.message}` : first.message;
}

/**
 * Fatal, so invalid bytes are refused rather than turned into U+FFFD (two different byte strings
 * would otherwise become the same password).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON body (already size-capped), or throws `invalid_json`. */
export function parseJsonBody(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) throw new AppError('invalid_json', 'The body is empty.');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new AppError('invalid_json', 'The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.');
  }
}
