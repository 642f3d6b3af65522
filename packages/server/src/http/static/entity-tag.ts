/** Past this many tags the header is not from a cache revalidating one file; the rest is ignored. */
const MAX_TAGS = 64;
const entityTag = /(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;

/**
 * Whether `If-None-Match` names the current representation (RFC 9110 §13.1.2): `*`, or any
 * entity tag whose opaque part equals ours (weak comparison, as that section requires, so a
 * `W/` that a proxy added after compressing still revalidates).
 */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  let seen = 0;
  for (const match of header.matchAll(entityTag)) {
    if (`"${match[1]}"` === opaque) return true;
    if (++seen >= MAX_TAGS) break;
  }
  return false;
}
