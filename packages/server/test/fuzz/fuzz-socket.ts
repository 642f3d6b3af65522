import { type ServerFrame, serverFrameSchema } from '@ephemeral-chat/protocol';
import WebSocket from 'ws';

/** A raw client that records every server frame (schema-checked) and how the socket closed. */
export class FuzzSocket {
  readonly frames: ServerFrame[] = [];
  /** Server frames that failed `serverFrameSchema`, as text. */
  readonly malformed: string[] = [];
  closeCode: number | undefined;
  #wake: (() => void) | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = String(data);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const frame = serverFrameSchema.safeParse(parsed);
      if (frame.success) this.frames.push(frame.data);
      else this.malformed.push(text.slice(0, 300));
      this.#wake?.();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.#wake?.();
    });
    ws.on('error', () => {});
  }

  static connect(url: string): Promise<FuzzSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { maxPayload: 64 * 2 ** 20 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new FuzzSocket(ws)));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closeCode !== undefined;
  }

  send(data: Uint8Array | string, binary: boolean): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary });
  }

  /** Resolves when `done()` holds (checked on every frame and close) or after `timeoutMs`. */
  until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve(false);
      }, timeoutMs);
      this.#wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#wake = undefined;
        resolve(true);
      };
    });
  }

  /** Takes the frames received so far. */
  drain(): ServerFrame[] {
    return this.frames.splice(0);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.terminate();
  }
}
