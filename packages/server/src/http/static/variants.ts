import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gunzip, gzip } from 'node:zlib';
import type { Coding } from './accept-encoding.js';

const brotli = promisify(brotliCompress);
const unbrotli = promisify(brotliDecompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Types worth compressing; images like PNG already are. */
const compressible = /^(?:text\/|application\/(?:json|javascript|xml)|image\/svg\+xml)/;

export type Compressed = Partial<Record<Exclude<Coding, 'identity'>, Buffer>>;

/** Where the build leaves each coding: `<file>.br`, `<file>.gz` (the widget's bundle step). */
const siblings = { br: '.br', gzip: '.gz' } as const;

/**
 * The brotli and gzip forms of a file, each kept only if smaller. A form the build left beside the
 * file is used when it decodes to exactly these bytes (so a stale one, left by a rebuild that
 * skipped the compression step, is never served); otherwise the file is compressed here, once
 * per version of the file — never per request.
 */
export async function compressedForms(
  path: string,
  identity: Buffer,
  contentType: string,
): Promise<Compressed> {
  if (!compressible.test(contentType)) return {};
  const out: Compressed = {};
  for (const coding of ['br', 'gzip'] as const) {
    const body =
      (await prebuilt(path + siblings[coding], coding, identity)) ??
      (await encode(coding, identity));
    if (body.length < identity.length) out[coding] = body;
  }
  return out;
}

async function prebuilt(path: string, coding: 'br' | 'gzip', identity: Buffer) {
  let body: Buffer;
  try {
    // One no smaller than the file would not be kept; checking first also bounds what is read.
    if ((await stat(path)).size >= identity.length) return undefined;
    body = await readFile(path);
  } catch {
    return undefined;
  }
  // Decoding stops one byte past the expected size, so a hostile sibling cannot balloon.
  const limit = { maxOutputLength: identity.length + 1 };
  try {
    const decoded = coding === 'br' ? await unbrotli(body, limit) : await gunzipAsync(body, limit);
    return decoded.equals(identity) ? body : undefined;
  } catch {
    return undefined;
  }
}

function encode(coding: 'br' | 'gzip', identity: Buffer): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(identity, { level: 9 });
  return brotli(identity, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      // Quality 11 costs about a second per megabyte; paid once per version of the file.
      [constants.BROTLI_PARAM_QUALITY]: identity.length > 4 << 20 ? 9 : 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
    },
  });
}
