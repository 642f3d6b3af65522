import type { ErrorDetail } from '@ephemeral-chat/protocol';
import type { z } from 'zod';

/** Details echo the input's field names: bounded in count and length whatever was sent. */
const MAX_DETAILS = 10;
const MAX_KEYS_NAMED = 5;
const MAX_TEXT = 100;

/** A schema failure as the protocol's error details (HTTP bodies and WS frames alike). */
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
