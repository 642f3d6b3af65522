import WebSocket from 'ws';

export type Frame = Record<string, unknown>;

interface Waiting {
  resolve(frame: Frame): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One raw `ws` socket speaking the protocol: requests carry an `id` and wait for the frame that
 * echoes it (a reply or an `error`); frames without an id are events. A close fails every
 * waiting request, so the caller can tell "answered" from "socket gone".
 */
export class Connection {
  readonly #ws: WebSocket;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #closed = false;

  private constructor(
    ws: WebSocket,
    onEvent: (f: Frame) => void,
    onClose: (c: Connection) => void,
  ) {
    this.#ws = ws;
    ws.on('message', (data: Buffer) => {
      let frame: Frame;
      try {
        frame = JSON.parse(data.toString()) as Frame;
      } catch {
        return;
      }
      const id = typeof frame.id === 'number' ? frame.id : undefined;
      const waiting = id === undefined ? undefined : this.#waiting.get(id);
      if (id !== undefined && waiting) {
        this.#waiting.delete(id);
        clearTimeout(waiting.timer);
        waiting.resolve(frame);
      } else {
        onEvent(frame);
      }
    });
    ws.on('close', () => {
      this.#closed = true;
      for (const w of this.#waiting.values()) {
        clearTimeout(w.timer);
        w.reject(new SocketClosed());
      }
      this.#waiting.clear();
      onClose(this);
    });
  }

  static open(
    url: string,
    onEvent: (f: Frame) => void,
    onClose: (c: Connection) => void,
  ): Promise<Connection> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, {
      perMessageDeflate: false,
      handshakeTimeout: 5000,
    });
    ws.on('error', () => {});
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Connection(ws, onEvent, onClose)));
      ws.once('close', () => reject(new SocketClosed()));
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends `frame` with a fresh id; resolves with the frame that answers it. Rejects with
   * `SocketClosed` if the socket closes first, or `NoReply` after `timeoutMs`.
   */
  request(frame: Frame, timeoutMs: number): Promise<Frame> {
    if (this.#closed) return Promise.reject(new SocketClosed());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // Later frames with this id are then events the caller may still read (a late ack).
        this.#waiting.delete(id);
        reject(new NoReply());
      }, timeoutMs);
      this.#waiting.set(id, { resolve, reject, timer });
      this.#ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  close(): void {
    this.#ws.terminate();
  }
}

export class SocketClosed extends Error {
  constructor() {
    super('socket closed');
  }
}

export class NoReply extends Error {
  constructor() {
    super('no reply in time');
  }
}
