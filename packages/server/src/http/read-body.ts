import { AppError } from '../errors/app-error.js';
import type { HttpResponse } from '../uws.js';

/**
 * Collects a request body up to `maxBytes`. uWS reuses each chunk's memory after the callback
 * returns, so every chunk is copied. Past the cap it rejects with `payload_too_large` without
 * buffering the rest.
 */
export function readBody(res: HttpResponse, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    res.onData((chunk, isLast) => {
      if (failed) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        failed = true;
        reject(new AppError('payload_too_large', `The body exceeds ${maxBytes} bytes.`));
        return;
      }
      chunks.push(Buffer.from(new Uint8Array(chunk)));
      if (isLast) resolve(Buffer.concat(chunks, size));
    });
  });
}
