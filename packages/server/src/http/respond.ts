import { STATUS_CODES } from 'node:http';
import type { ErrorBody } from '@ephemeral-chat/protocol';
import type { AppError } from '../errors/app-error.js';
import type { HttpResponse } from '../uws.js';

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  setCookie?: string;
}

/** Sent with every response: an API that only ever returns JSON. */
const securityHeaders: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-site'],
  ['Cache-Control', 'no-store'],
];

export function errorResult(err: AppError): HttpResult {
  const body: ErrorBody = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.retryAfter === undefined ? {} : { retryAfter: err.retryAfter }),
      ...(err.details === undefined ? {} : { details: err.details }),
    },
  };
  const headers: Record<string, string> =
    err.retryAfter === undefined ? {} : { 'Retry-After': String(err.retryAfter) };
  return { status: err.status, body, headers };
}

/** Writes the whole response in one corked batch (one syscall), and optionally closes. */
export function writeResult(
  res: HttpResponse,
  result: HttpResult,
  cors: Record<string, string>,
  closeConnection = false,
): void {
  res.cork(() => {
    res.writeStatus(`${result.status} ${STATUS_CODES[result.status] ?? ''}`);
    for (const [k, v] of securityHeaders) res.writeHeader(k, v);
    for (const [k, v] of Object.entries(cors)) res.writeHeader(k, v);
    for (const [k, v] of Object.entries(result.headers ?? {})) res.writeHeader(k, v);
    if (result.setCookie) res.writeHeader('Set-Cookie', result.setCookie);
    if (result.body === undefined) {
      res.end(undefined, closeConnection);
      return;
    }
    res.writeHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(result.body), closeConnection);
  });
}
