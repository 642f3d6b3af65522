/** The content codings the static files come in, best first: brotli is the smallest. */
export const codings = ['br', 'gzip', 'identity'] as const;
export type Coding = (typeof codings)[number];

/** Browsers send four or five; anything past this many is not a browser and is ignored. */
const MAX_ENTRIES = 32;
const qvalue = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The coding to send for an `Accept-Encoding` header (RFC 9110 §12.5.3), among those `available`
 * (identity always is). The client's highest q wins, ties go to the smaller coding; `*` stands for
 * any coding not named; identity is acceptable unless excluded. When nothing is acceptable the
 * body goes uncoded rather than as a 406: a script that loads beats an error.
 * No header means the client did not say, so it gets identity as well.
 */
export function negotiateEncoding(
  header: string | undefined,
  available: ReadonlySet<Coding>,
): Coding {
  if (header === undefined) return 'identity';
  const q = acceptedQualities(header);
  // Unnamed identity ranks with the least wanted coding named (as the `negotiator` package does),
  // so `br;q=0.5` still means "brotli, please".
  const implicitIdentity = q.size === 0 ? 1 : Math.min(...q.values());
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const coding of codings) {
    if (!available.has(coding) && coding !== 'identity') continue;
    const weight = q.get(coding) ?? q.get('*') ?? (coding === 'identity' ? implicitIdentity : 0);
    if (weight > bestQ) [best, bestQ] = [coding, weight];
  }
  return best;
}

/** Coding name (lower case, `x-gzip` read as `gzip`) to its q, the highest where repeated. */
function acceptedQualities(header: string): Map<string, number> {
  const q = new Map<string, number>();
  for (const entry of header.split(',', MAX_ENTRIES)) {
    const [name = '', ...params] = entry.split(';');
    let coding = name.trim().toLowerCase();
    if (coding === '') continue;
    if (coding === 'x-gzip') coding = 'gzip';
    let weight = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=', 2);
      if (key.trim().toLowerCase() !== 'q') continue;
      // A malformed q does not grant anything.
      weight = qvalue.test(value.trim()) ? Number(value.trim()) : 0;
    }
    q.set(coding, Math.max(weight, q.get(coding) ?? 0));
  }
  return q;
}
