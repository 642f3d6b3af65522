import { clientAddress } from '../transport/client-address.js';
import type { HttpRequest, HttpResponse } from '../uws.js';

/** Everything a handler may read, copied out of uWS before the first `await` (uWS frees it). */
export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  origin: string | undefined;
  host: string | undefined;
  authorization: string | undefined;
  cookie: string | undefined;
  contentType: string | undefined;
  contentLength: number | undefined;
  /** For static files: content-coding negotiation and revalidation (RFC 9110 §12.5.3, §13.1.2). */
  acceptEncoding: string | undefined;
  ifNoneMatch: string | undefined;
  ip: string;
  /** Raw body, present for routes that read one. */
  body?: Buffer;
}

export function snapshotRequest(
  res: HttpResponse,
  req: HttpRequest,
  trustProxy: boolean,
): RequestContext {
  const header = (name: string): string | undefined => req.getHeader(name) || undefined;
  const length = header('content-length');
  const ip = clientAddress(res, req, trustProxy);
  return {
    method: req.getMethod().toUpperCase(),
    path: req.getUrl(),
    query: new URLSearchParams(req.getQuery() ?? ''),
    origin: header('origin'),
    host: header('host'),
    authorization: header('authorization'),
    cookie: header('cookie'),
    contentType: header('content-type'),
    contentLength: length === undefined ? undefined : Number(length),
    acceptEncoding: header('accept-encoding'),
    ifNoneMatch: header('if-none-match'),
    ip,
  };
}
