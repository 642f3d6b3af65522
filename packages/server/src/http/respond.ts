import { STATUS_CODES } from 'node:http';
import { type ErrorBody, errorPayload } from '@ephemeral-chat/protocol';
import type { AppError } from '../errors/app-error.js';
import type { HttpResponse } from '../uws.js';

export interface HttpResult {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with its own Content-Type (static files). */
  raw?: { data: Buffer; contentType: string };
  /** Added to, or replacing (same name, any case), the default headers. */
  headers?: Record<string, string>;
  setCookie?: string;
}

/** Sent with every response unless a route replaces one: an API that only returns JSON. */
const securityHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-site',
  'Cache-Control': 'no-store',
};

export function errorResult(err: AppError): HttpResult {
  const body: ErrorBody = { error: errorPayload(err.code, err.message, err) };
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
    const headers = new Map<string, [string, string]>();
    for (const set of [securityHeaders, cors, result.headers ?? {}]) {
      for (const [k, v] of Object.entries(set)) headers.set(k.toLowerCase(), [k, v]);
    }
    for (const [k, v] of headers.values()) res.writeHeader(k, v);
    if (result.setCookie) res.writeHeader('Set-Cookie', result.setCookie);
    // A 304 has no body, and a Content-Length on it would have to be the 200's (RFC 9110 §8.6).
    // (uWS reads an explicit `undefined` length as a number: pass no argument at all.)
    if (result.status === 304) {
      if (closeConnection) res.endWithoutBody(0, true);
      else res.endWithoutBody();
      return;
    }
    if (result.raw) {
      res.writeHeader('Content-Type', result.raw.contentType);
      res.end(result.raw.data, closeConnection);
      return;
    }
    if (result.body === undefined) {
      res.end(undefined, closeConnection);
      return;
    }
    res.writeHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(result.body), closeConnection);
  });
}
