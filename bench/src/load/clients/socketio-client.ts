import { type Client, clientMsgIdOf, type UserRef } from './client.js';
import { TIMEOUT_MS, WsClient } from './ws-client.js';

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

export class SocketIoClient extends WsClient<unknown> implements Client {
  #nextAck = 1;

  async connect(): Promise<void> {
    const ws = this.dial('/socket.io/?EIO=4&transport=websocket');
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no CONNECT reply')), TIMEOUT_MS);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)));
      ws.on('message', (data: Buffer) => {
        if (this.established) return this.#onFrame(data);
        const text = data.toString();
        if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token: this.user.token })}`);
        else if (text.startsWith('40')) {
          clearTimeout(timer);
          this.established = true;
          resolve();
        } else if (text.startsWith('44')) {
          clearTimeout(timer);
          reject(new Error(`connect_error ${text.slice(2)}`));
        } else if (text === PING) ws.send(PONG);
      });
    });
    this.watchClose(ws);
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
    this.ws?.send(`42${id}${JSON.stringify(['send', { room, text, ttl, clientMsgId }])}`);
  }

  read(): void {
    throw new Error('the Socket.IO baseline has no read receipts');
  }

  async createGroup(_name: string, members: UserRef[]): Promise<string> {
    const ids = members.map((m) => m.id);
    const reply = (await this.#emitWithAck('group.create', { members: ids })) as { room?: string };
    if (!reply.room) throw new Error(`group.create: ${JSON.stringify(reply)}`);
    return reply.room;
  }

  async joinGroup(room: string): Promise<void> {
    const reply = (await this.#emitWithAck('group.join', { room })) as { room?: string };
    if (reply.room !== room) throw new Error(`group.join: ${JSON.stringify(reply)}`);
  }

  async history(room: string, limit: number): Promise<void> {
    const reply = (await this.#emitWithAck('history', { room, limit })) as { messages?: unknown };
    if (!reply.messages) throw new Error(`history: ${JSON.stringify(reply)}`);
  }

  #emitWithAck(event: string, payload: unknown): Promise<unknown> {
    const id = this.#nextAck++;
    return this.request(id, `no ack to ${event}`, `42${id}${JSON.stringify([event, payload])}`);
  }

  #onFrame(data: Buffer): void {
    if (data[0] === C4 && data[1] === C2) {
      const id = clientMsgIdOf(data, 12);
      if (id !== undefined) this.events.onMessage(id, data);
      return;
    }
    if (data[0] === C4 && data[1] === C3) {
      const bracket = data.indexOf(0x5b); // '[' ends the ack id
      const id = Number(data.toString('latin1', 2, bracket));
      const reply = this.takeReply(id);
      if (reply) {
        reply((JSON.parse(data.toString('utf8', bracket)) as unknown[])[0]);
        return;
      }
      // `[{"error":…}]` versus `[{"message":…}]`
      this.events.onAck(data[bracket + 3] !== 0x65);
      return;
    }
    if (data.length === 1 && data[0] === C2) this.ws?.send(PONG);
  }
}
