import type { ServerFrame } from '@ephemeral-chat/protocol';
import type { WebSocketLike } from '../../src/platform.js';

/** A scripted WebSocket: the test plays the server, frame by frame. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  /** Frames the client sent, parsed. */
  readonly sent: Record<string, unknown>[] = [];
  closedByClient = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  /** The server accepts the upgrade. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sends a frame. */
  push(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server (or the network) closes the socket. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** The last frame sent of a type. */
  last(type: string): Record<string, unknown> & { id: number } {
    const frame = this.sent.findLast((f) => f.type === type);
    if (!frame) throw new Error(`no ${type} frame sent; sent: ${JSON.stringify(this.sent)}`);
    return frame as Record<string, unknown> & { id: number };
  }

  /** Answers the auth frame with a welcome. */
  welcome(serverTime = Date.now()): void {
    const auth = this.last('auth');
    this.push({
      type: 'welcome',
      id: auth.id,
      user: { id: 'u1', username: 'alice' },
      serverTime,
      sessionExpiresAt: serverTime + 86_400_000,
    });
  }
}

/** A WebSocket constructor whose instances the test can reach. */
export function fakeWebSocket() {
  const sockets: FakeSocket[] = [];
  class WebSocket extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return { WebSocket, sockets };
}
