import { isIP } from 'node:net';
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
  ip: string;
  /** Raw body, present for routes that read one. */
  body?: Buffer;
}

const decoder = new TextDecoder();

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
    ip,
  };
}

/**
 * The caller's address. Behind one trusted proxy it is the right-most X-Forwarded-For entry (what
 * that proxy appended) over every header line joined in order: `getHeader` sees only the first
 * line, which the client wrote itself. An entry that is not an IP address is not trusted.
 */
export function clientAddress(
  res: Pick<HttpResponse, 'getRemoteAddressAsText'>,
  req: Pick<HttpRequest, 'forEach'>,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const lines: string[] = [];
    req.forEach((key, value) => {
      if (key === 'x-forwarded-for') lines.push(value);
    });
    const last = lines.join(',').split(',').at(-1)?.trim() ?? '';
    if (isIP(last) !== 0) return last;
  }
  return decoder.decode(res.getRemoteAddressAsText());
}
