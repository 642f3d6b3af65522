import { ChatError } from '@ephemeral-chat/sdk';
import { fill, type Strings } from './strings.js';

/** Anything thrown, as a `ChatError` (the SDK throws nothing else; this is for the unexpected). */
export function asChatError(err: unknown): ChatError {
  return err instanceof ChatError ? err : new ChatError('internal', String(err), { cause: err });
}

/** The text to show for an error: the host's or default text for its code, else the server's. */
export function errorText(err: unknown, strings: Strings): string {
  const e = asChatError(err);
  const text = strings.errors[e.code];
  return text ? fill(text, { seconds: e.retryAfter ?? 1 }) : e.message;
}

/** Errors of a form, per field name, and one for the form as a whole. */
export type FieldErrors = Partial<Record<string, string>> & { form?: string };

const fieldOfCode: Partial<Record<string, string>> = {
  username_taken: 'username',
  weak_password: 'password',
};

/**
 * Spreads a server error over the form's fields: `validation_failed` details by their path, the
 * codes that concern one field to it, anything else to the whole form.
 */
export function fieldErrors(
  err: unknown,
  fields: readonly string[],
  strings: Strings,
): FieldErrors {
  const e = asChatError(err);
  const out: FieldErrors = {};
  for (const d of e.details ?? []) {
    const field = fields.includes(d.path) ? d.path : 'form';
    out[field] = out[field] ? `${out[field]} ${d.message}` : d.message;
  }
  if (e.details?.length) return out;
  const field = fieldOfCode[e.code];
  out[field && fields.includes(field) ? field : 'form'] = errorText(e, strings);
  return out;
}
