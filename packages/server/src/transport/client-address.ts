import { isIP } from 'node:net';
import type { HttpRequest, HttpResponse } from '../uws.js';

const decoder = new TextDecoder();

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
