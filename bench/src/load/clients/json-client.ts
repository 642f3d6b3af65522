import WebSocket from 'ws';
import { roomFor } from '../../peers/rooms.js';
import { type Client, type ClientEvents, clientMsgIdOf, type UserRef } from './client.js';

interface Pending {
  resolve(frame: Record<string, unknown>): void;
  reject(err: Error): void;
}

// Every server frame starts `{"type":"`; the byte after it tells the frequent types apart.
const TYPE_AT = 9;
const M = 0x6d; // message
const A = 0x61; // ack
const TIMEOUT_MS = 15_000;

/**
 * ephemeral-chat's protocol over `ws` (and the relay's, which speaks the same frames). Message
 * events and acks, the hot path, are recognised by one byte and read without JSON.parse.
 */
export class JsonClient implements Client {
  #ws: WebSocket | undefined;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #open = false;

  constructor(
    private readonly user: UserRef,
    private readonly relay: boolean,
    private readonly localAddress: string | undefined,
    private readonly events: ClientEvents,
  ) {}

  get isOpen(): boolean {
    return this.#open;
  }

  async connect(): Promise<void> {
    const ws = new WebSocket(`${this.user.url.replace(/^http/, 'ws')}/ws`, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: TIMEOUT_MS,
      ...(this.localAddress ? { localAddress: this.localAddress } : {}),
    });
    this.#ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)));
    });
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => this.#onFrame(data));
    ws.on('close', (code) => {
      const was = this.#open;
      this.#open = false;
      for (const p of this.#pending.values()) p.reject(new Error(`closed ${code}`));
      this.#pending.clear();
      if (was) this.events.onClose(code);
    });
    const welcome = await this.#request({ type: 'auth', token: this.user.token });
    if (welcome.type !== 'welcome') throw new Error(`auth: ${JSON.stringify(welcome)}`);
    this.#open = true;
  }

  async open(peer: UserRef): Promise<string> {
    if (this.relay) return roomFor(this.user.id, peer.id);
    const opened = await this.#request({ type: 'open', username: peer.username });
    if (opened.type !== 'opened') throw new Error(`open: ${JSON.stringify(opened)}`);
    return String(opened.room);
  }

  send(room: string, text: string, ttl: number, clientMsgId: string): void {
    const id = this.#nextId++;
    this.#ws?.send(JSON.stringify({ type: 'send', id, room, text, ttl, clientMsgId }));
  }

  async history(room: string, limit: number): Promise<void> {
    const reply = await this.#request({ type: 'history', room, limit });
    if (reply.type !== 'history') throw new Error(`history: ${JSON.stringify(reply)}`);
  }

  close(): void {
    this.#open = false;
    this.#ws?.terminate();
  }

  #request(frame: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no reply to ${frame.type} within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.#ws?.send(JSON.stringify({ ...frame, id }));
    });
  }

  #onFrame(data: Buffer): void {
    const kind = data[TYPE_AT];
    if (kind === M) {
      const id = clientMsgIdOf(data, 40);
      if (id !== undefined) this.events.onMessage(id);
      return;
    }
    if (kind === A) {
      this.events.onAck(true);
      return;
    }
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    const id = typeof frame.id === 'number' ? frame.id : undefined;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (pending && id !== undefined) {
      this.#pending.delete(id);
      pending.resolve(frame);
    } else if (frame.type === 'error' && id !== undefined) {
      this.events.onAck(false);
    }
  }
}
