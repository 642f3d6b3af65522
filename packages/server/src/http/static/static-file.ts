import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface LoadedFile {
  data: Buffer;
  contentType: string;
}

/**
 * One file on disk, read on first use and again whenever its mtime changes (a rebuilt bundle is
 * served without a restart). Resolves undefined when the file does not exist.
 */
export class StaticFile {
  #cached: { mtimeMs: number; file: LoadedFile } | undefined;

  constructor(readonly path: string) {}

  get contentType(): string {
    return types[extname(this.path)] ?? 'application/octet-stream';
  }

  async load(): Promise<LoadedFile | undefined> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.path)).mtimeMs;
    } catch {
      return undefined;
    }
    if (this.#cached?.mtimeMs === mtimeMs) return this.#cached.file;
    const data = await readFile(this.path);
    const file = { data, contentType: this.contentType };
    this.#cached = { mtimeMs, file };
    return file;
  }
}
