import { createHash } from 'node:crypto';

/** What names one version of a file: its SRI value and the short hash in its immutable URL. */
export interface Digest {
  /** `sha384-<base64>`, for a script tag's `integrity` (SRI, W3C). */
  integrity: string;
  /** The first 16 hex digits of the same SHA-384: `/ephemeral-chat.<hash>.js`, the ETag. */
  hash: string;
}

/**
 * The widget's build script (packages/widget/scripts/precompress.mjs) computes the same two values
 * for the snippet it prints; a test checks that both agree.
 */
export function digestOf(data: Uint8Array): Digest {
  const sha384 = createHash('sha384').update(data).digest();
  return {
    integrity: `sha384-${sha384.toString('base64')}`,
    hash: sha384.toString('hex').slice(0, 16),
  };
}
