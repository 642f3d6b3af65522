import type { ServerFrame } from '@ephemeral-chat/protocol';
import WebSocket from 'ws';

type Predicate = (frame: ServerFrame) => boolean;

/** A raw WebSocket test client: records every frame and waits for the ones a test expects. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: { match: Predicate; resolve(f: ServerFrame): void }[] = [];
  #nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      this.frames.push(frame);
      const i = this.#waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.#waiters.splice(i, 1)[0]?.resolve(frame);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    });
  }

  static connect(
    url: string,
    headers: Record<string, string> = {},
    query = '',
  ): Promise<TestSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws${query}`, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  /** Connects and authenticates with a token; resolves after the welcome frame. */
  static async authed(url: string, token: string): Promise<TestSocket> {
    const socket = await TestSocket.connect(url);
    const welcome = await socket.request({ type: 'auth', token });
    if (welcome.type !== 'welcome') throw new Error(`auth failed: ${JSON.stringify(welcome)}`);
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a frame with a fresh id and resolves with its reply (or error) frame. */
  request(frame: Record<string, unknown>, timeoutMs = 5000): Promise<ServerFrame> {
    const id = this.#nextId++;
    const reply = this.next((f) => 'id' in f && f.id === id, timeoutMs);
    this.send({ ...frame, id });
    return reply;
  }

  /** The first frame (already received or future) that matches. */
  next(match: Predicate, timeoutMs = 5000): Promise<ServerFrame> {
    const seen = this.frames.find(match);
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (f: ServerFrame) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(f), 1);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(
          new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

export const isMessage = (room?: string) => (f: ServerFrame) =>
  f.type === 'message' && (room === undefined || f.message.room === room);
