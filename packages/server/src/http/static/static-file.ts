import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { AppError } from '../../errors/app-error.js';
import type { Coding } from './accept-encoding.js';
import { type Digest, digestOf } from './digest.js';
import { compressedForms } from './variants.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Files above this are not served: each is held in memory in up to three forms. The bundle is
 * about 125 KB; a demo page has no business with more.
 */
export const MAX_STATIC_FILE_BYTES = 16 << 20;

/** One version of a file, in memory, with its compressed forms. */
export interface Asset {
  contentType: string;
  digest: Digest;
  /** Identity always; brotli and gzip where they are smaller. */
  bodies: Partial<Record<Coding, Buffer>> & { identity: Buffer };
}

/**
 * One file on disk, read and compressed on first use and again whenever it changes (a rebuilt
 * bundle is served without a restart). Concurrent first requests share one read.
 */
export class StaticFile {
  #current: { version: string; asset: Promise<Asset | undefined> } | undefined;

  constructor(readonly path: string) {}

  get contentType(): string {
    return types[extname(this.path)] ?? 'application/octet-stream';
  }

  /** The current version, or undefined when the file does not exist. */
  async load(): Promise<Asset | undefined> {
    let version: string;
    try {
      const s = await stat(this.path);
      if (!s.isFile()) return undefined;
      if (s.size > MAX_STATIC_FILE_BYTES) {
        throw new AppError('not_found', `${basename(this.path)} is too large to serve.`);
      }
      version = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (err) {
      if (err instanceof AppError) throw err;
      return undefined;
    }
    if (this.#current?.version !== version) {
      this.#current = { version, asset: this.#read(version) };
    }
    return this.#current.asset;
  }

  async #read(version: string): Promise<Asset | undefined> {
    let identity: Buffer;
    try {
      identity = await readFile(this.path);
    } catch {
      // Removed between stat and read: the next request looks again.
      if (this.#current?.version === version) this.#current = undefined;
      return undefined;
    }
    const contentType = this.contentType;
    // Compression failing (out of memory) costs bytes, not the file.
    const compressed = await compressedForms(this.path, identity, contentType).catch(() => ({}));
    return { contentType, digest: digestOf(identity), bodies: { identity, ...compressed } };
  }
}
