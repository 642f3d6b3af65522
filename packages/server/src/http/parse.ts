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

export function toDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `Unknown field(s): ${issue.keys.join(', ')}.`
        : issue.message,
  }));
}

function summarize(error: z.ZodError): string {
  const first = toDetails(error)[0];
  if (!first) return 'The input is invalid.';
  return first.path ? `${first.path}: ${first.message}` : first.message;
}

/** Parses a JSON body (already size-capped), or throws `invalid_json`. */
export function parseJsonBody(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) throw new AppError('invalid_json', 'The body is empty.');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.');
  }
}
