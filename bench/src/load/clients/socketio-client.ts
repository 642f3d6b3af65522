import WebSocket from 'ws';
import { type Client, type ClientEvents, clientMsgIdOf, type UserRef } from './client.js';

/*
 * Socket.IO 4 spoken directly over `ws` (WebSocket transport only, no polling upgrade):
 * Engine.IO v4 packets are one digit (0 open, 1 close, 2 ping, 3 pong, 4 message), and a
 * Socket.IO packet inside a message is one more (0 CONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR),
 * then an optional ack id and a JSON array. The same lean client as for ephemeral-chat, so
 * both servers are driven at the same cost.
 */
const PING = '2';
const PONG = '3';
const C4 = 0x34;
const C2 = 0x32;
const C3 = 0x33;
const TIMEOUT_MS = 15_000;

interface Pending {
  resolve(reply: unknown): void;
  reject(err: Error): void;
}

export class SocketIoClient implements Client {
  #ws: WebSocket | undefined;
  #nextAck = 1;
  #pending = new Map<number, Pending>();
  #open = false;

  constructor(
    private readonly user: UserRef,
    private readonly localAddress: string | undefined,
    private readonly events: ClientEvents,
  ) {}

  get isOpen(): boolean {
    return this.#open;
  }

  async connect(): Promise<void> {
    const url = `${this.user.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: TIMEOUT_MS,
      ...(this.localAddress ? { localAddress: this.localAddress } : {}),
    });
    this.#ws = ws;
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no CONNECT reply')), TIMEOUT_MS);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)));
      ws.on('message', (data: Buffer) => {
        if (this.#open) return this.#onFrame(data);
        const text = data.toString();
        if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token: this.user.token })}`);
        else if (text.startsWith('40')) {
          clearTimeout(timer);
          this.#open = true;
          resolve();
        } else if (text.startsWith('44')) {
          clearTimeout(timer);
          reject(new Error(`connect_error ${text.slice(2)}`));
        } else if (text === PING) ws.send(PONG);
      });
    });
    ws.on('close', (code) => {
      const was = this.#open;
      this.#open = false;
      for (const p of this.#pending.values()) p.reject(new Error(`closed ${code}`));
      this.#pending.clear();
      if (was) this.events.onClose(code);
    });
    await connected;
    ws.on('error', () => {});
  }

  async open(peer: UserRef): Promise<string> {
    const reply = (await this.#emitWithAck('open', peer.id)) as { room?: string };
    if (!reply.room) throw new Error(`open: ${JSON.stringify(reply)}`);
    return reply.room;
  }

  send(room: string, text: string, ttl: number, clientMsgId: string): void {
    // Acks of sends are not tracked by id: any ACK that no request waits for is a send's.
    const id = this.#nextAck++;
    this.#ws?.send(`42${id}${JSON.stringify(['send', { room, text, ttl, clientMsgId }])}`);
  }

  async history(room: string, limit: number): Promise<void> {
    const reply = (await this.#emitWithAck('history', { room, limit })) as { messages?: unknown };
    if (!reply.messages) throw new Error(`history: ${JSON.stringify(reply)}`);
  }

  close(): void {
    this.#open = false;
    this.#ws?.terminate();
  }

  #emitWithAck(event: string, payload: unknown): Promise<unknown> {
    const id = this.#nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no ack to ${event} within ${TIMEOUT_MS} ms`));
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
      this.#ws?.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  #onFrame(data: Buffer): void {
    if (data[0] === C4 && data[1] === C2) {
      const id = clientMsgIdOf(data, 12);
      if (id !== undefined) this.events.onMessage(id);
      return;
    }
    if (data[0] === C4 && data[1] === C3) {
      const bracket = data.indexOf(0x5b); // '[' ends the ack id
      const id = Number(data.toString('latin1', 2, bracket));
      const pending = this.#pending.get(id);
      if (pending) {
        this.#pending.delete(id);
        pending.resolve((JSON.parse(data.toString('utf8', bracket)) as unknown[])[0]);
        return;
      }
      // `[{"error":…}]` versus `[{"message":…}]`
      this.events.onAck(data[bracket + 3] !== 0x65);
      return;
    }
    if (data.length === 1 && data[0] === C2) this.#ws?.send(PONG);
  }
}
