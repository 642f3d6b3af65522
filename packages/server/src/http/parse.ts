import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { toDetails } from '../transport/details.js';

/** Parses unknown input with a protocol schema, or throws `validation_failed` with details. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', summarize(parsed.error), {
    details: toDetails(parsed.error),
  });
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
