import WebSocket from 'ws';
import type { ClientEvents, UserRef } from './client.js';

/** How long a handshake or a request may wait for the server's reply. */
export const TIMEOUT_MS = 15_000;

interface Pending<R> {
  resolve(reply: R): void;
  reject(err: Error): void;
}

/**
 * What both lean clients share: one `ws` socket without compression or UTF-8 checks, whether it
 * is established, and the requests waiting for a reply by id.
 */
export abstract class WsClient<R> {
  protected ws: WebSocket | undefined;
  protected established = false;
  readonly #pending = new Map<number, Pending<R>>();

  constructor(
    protected readonly user: UserRef,
    protected readonly localAddress: string | undefined,
    protected readonly events: ClientEvents,
  ) {}

  get isOpen(): boolean {
    return this.established;
  }

  close(): void {
    this.established = false;
    this.ws?.terminate();
  }

  /** Opens the socket to `path` on the user's server, from the source address if one is set. */
  protected dial(path: string): WebSocket {
    const ws = new WebSocket(`${this.user.url.replace(/^http/, 'ws')}${path}`, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: TIMEOUT_MS,
      ...(this.localAddress ? { localAddress: this.localAddress } : {}),
    });
    this.ws = ws;
    return ws;
  }

  /** On close: fails the waiting requests, and reports the close if the client was established. */
  protected watchClose(ws: WebSocket): void {
    ws.on('close', (code) => {
      const was = this.established;
      this.established = false;
      for (const p of this.#pending.values()) p.reject(new Error(`closed ${code}`));
      this.#pending.clear();
      if (was) this.events.onClose(code);
    });
  }

  /** Sends `frame` and waits for the reply with `id`; fails as `what` after TIMEOUT_MS. */
  protected request(id: number, what: string, frame: string): Promise<R> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${what} within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.ws?.send(frame);
    });
  }

  /** Takes the resolver of the request waiting for `id`, if any. */
  protected takeReply(id: number): ((reply: R) => void) | undefined {
    const pending = this.#pending.get(id);
    if (pending) this.#pending.delete(id);
    return pending?.resolve;
  }
}
