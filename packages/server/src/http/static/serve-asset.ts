import type { RequestContext } from '../request.js';
import type { HttpResult } from '../respond.js';
import { type Coding, codings, negotiateEncoding } from './accept-encoding.js';
import { noneMatchHits } from './entity-tag.js';
import type { Asset } from './static-file.js';

/** `Content-Encoding` token and ETag suffix per coding. */
const codingInfo: Record<Coding, { token?: string; suffix: string }> = {
  br: { token: 'br', suffix: '.br' },
  gzip: { token: 'gzip', suffix: '.gz' },
  identity: { suffix: '' },
};

/**
 * The answer for one request for `asset`: the negotiated coding's body, or 304 when the client
 * already holds it. Each coding is a representation of its own and gets a strong ETag of its own
 * (RFC 9110 §8.8.3), so a cache never mixes compressed bytes with an uncompressed validator.
 * `headers` (caching, CORP…) go on the 304 too, as a 304 must repeat what the 200 would carry.
 * `varyOrigin` when the answer's CORS headers depend on the Origin (the widget's files say `*`).
 */
export function serveAsset(
  asset: Asset,
  req: Pick<RequestContext, 'acceptEncoding' | 'ifNoneMatch'>,
  headers: Record<string, string>,
  varyOrigin = false,
): HttpResult {
  const available = new Set(codings.filter((c) => asset.bodies[c] !== undefined));
  const coding = negotiateEncoding(req.acceptEncoding, available);
  const info = codingInfo[coding];
  const vary = [
    ...(available.size > 1 ? ['Accept-Encoding'] : []),
    ...(varyOrigin ? ['Origin'] : []),
  ];
  const etag = `"${asset.digest.hash}${info.suffix}"`;
  const out: Record<string, string> = {
    ...headers,
    ETag: etag,
    ...(vary.length > 0 ? { Vary: vary.join(', ') } : {}),
  };
  if (noneMatchHits(req.ifNoneMatch, etag)) return { status: 304, headers: out };
  if (info.token) out['Content-Encoding'] = info.token;
  const data = asset.bodies[coding] ?? asset.bodies.identity;
  return { status: 200, raw: { data, contentType: asset.contentType }, headers: out };
}
