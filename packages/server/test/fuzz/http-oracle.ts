import {
  authResponseSchema,
  errorBodySchema,
  errorCodes,
  healthResponseSchema,
  loginRequestSchema,
  meResponseSchema,
  readyResponseSchema,
  registerRequestSchema,
  searchQuerySchema,
  searchResponseSchema,
  sessionResponseSchema,
} from '@ephemeral-chat/protocol';
import type { z } from 'zod';
import type { RequestCase } from './http-generators.js';

/** Documented answers: a status and, for errors, the codes that may come with it. */
export interface HttpExpectation {
  answers: { status: number; codes?: string[]; schema?: z.ZodType }[];
  note?: string;
}

const routes: Record<string, string[]> = {
  '/api/register': ['POST'],
  '/api/login': ['POST'],
  '/api/logout': ['POST'],
  '/api/me': ['GET'],
  '/api/session': ['GET'],
  '/api/users/search': ['GET'],
  '/healthz': ['GET'],
  '/readyz': ['GET'],
};
const err = (status: number, ...codes: string[]) => ({ status, codes });
const utf8 = new TextDecoder('utf-8', { fatal: true });
const authFail = { none: err(401, 'auth_required'), garbage: err(401, 'session_invalid') };

export function expectHttp(c: RequestCase): HttpExpectation {
  const [path = '', q] = c.path.split('?');
  const methods = routes[path];
  if (!methods) return { answers: [err(404, 'not_found')] };
  if (c.method === 'OPTIONS') return { answers: [{ status: 204 }] };
  const method = c.method === 'HEAD' && methods.includes('GET') ? 'GET' : c.method;
  if (!methods.includes(method)) return { answers: [err(405, 'method_not_allowed')] };
  const head = (e: HttpExpectation): HttpExpectation =>
    c.method === 'HEAD' ? { ...e, note: 'HEAD' } : e;
  const authed = (ok: HttpExpectation['answers'][number]) =>
    c.token === 'live' ? [ok] : [authFail[c.token]];
  switch (path) {
    case '/healthz':
      return head({ answers: [{ status: 200, schema: healthResponseSchema }] });
    case '/readyz':
      return head({ answers: [{ status: 200, schema: readyResponseSchema }] });
    case '/api/session':
      return head({ answers: [{ status: 200, schema: sessionResponseSchema }] });
    case '/api/me':
      return head({ answers: authed({ status: 200, schema: meResponseSchema }) });
    case '/api/logout':
      return { answers: authed({ status: 204 }) };
    case '/api/users/search': {
      const query = Object.fromEntries(new URLSearchParams(q ?? ''));
      const valid = searchQuerySchema.safeParse(query).success;
      return head({
        answers: authed(
          valid ? { status: 200, schema: searchResponseSchema } : err(400, 'validation_failed'),
        ),
      });
    }
  }
  // register and login: type, size, UTF-8, JSON, schema, then the account rules.
  const type = c.contentType?.split(';')[0]?.trim().toLowerCase();
  const body = c.body ?? new Uint8Array();
  const answers: HttpExpectation['answers'] = [];
  if (type !== 'application/json') answers.push(err(415, 'unsupported_media_type'));
  if (body.byteLength > 16 * 1024) answers.push(err(413, 'payload_too_large'));
  if (answers.length) return { answers };
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(body));
  } catch (e) {
    const note = e instanceof SyntaxError ? undefined : 'invalid UTF-8';
    return { answers: [err(400, 'invalid_json', 'validation_failed')], ...(note ? { note } : {}) };
  }
  const schema = path === '/api/register' ? registerRequestSchema : loginRequestSchema;
  if (!schema.safeParse(raw).success) return { answers: [err(400, 'validation_failed')] };
  const limited = err(429, 'rate_limited');
  if (path === '/api/register') {
    return {
      answers: [
        { status: 201, schema: authResponseSchema },
        err(409, 'username_taken'),
        err(400, 'weak_password'),
        limited,
      ],
    };
  }
  return {
    answers: [
      { status: 200, schema: authResponseSchema },
      err(401, 'invalid_credentials'),
      limited,
    ],
  };
}

/** Why a response is not documented, or undefined when it is. */
export function judge(
  e: HttpExpectation,
  status: number,
  text: string,
  head: boolean,
): string | undefined {
  const want = e.answers
    .map((a) => `${a.status}${a.codes ? ` ${a.codes.join('|')}` : ''}`)
    .join(', ');
  const match = e.answers.find((a) => a.status === status);
  if (!match) return `answered ${status}, expected ${want}`;
  if (head || status === 204) return text === '' ? undefined : `${status} with a body`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} body is not JSON`;
  }
  if (match.codes) {
    const parsed = errorBodySchema.safeParse(body);
    if (!parsed.success) return `${status} error body does not match errorBodySchema`;
    const code = parsed.data.error.code;
    if (!Object.hasOwn(errorCodes, code)) return `error code not in errorCodes: ${code}`;
    if (!match.codes.includes(code)) return `answered ${status} ${code}, expected ${want}`;
    if (errorCodes[code].status !== status) return `${code} sent with status ${status}`;
    return undefined;
  }
  if (match.schema && !match.schema.safeParse(body).success)
    return `${status} body does not match its schema`;
  return undefined;
}
