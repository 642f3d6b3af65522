import { roomFor } from '../../peers/rooms.js';
import { type Client, type ClientEvents, clientMsgIdOf, type UserRef } from './client.js';
import { TIMEOUT_MS, WsClient } from './ws-client.js';

type Frame = Record<string, unknown>;

// Every server frame starts `{"type":"`; the byte after it tells the frequent types apart.
const TYPE_AT = 9;
const M = 0x6d; // message
const A = 0x61; // ack
const R = 0x72; // read (or resumed)
const READ = Buffer.from('{"type":"read",');
const I = 0x69; // `{"type":"read","id":…` is a reply; `{"type":"read","room":…` an event
/**
 * `read` frames take their ids from here up (the protocol allows up to 2^31 − 1), so a reply or
 * an error is known to answer a read without remembering each one; other requests stay below.
 */
export const READ_ID_BASE = 2 ** 30;

/** A `read` frame's meaning, by its first bytes: the reply to ours (with `id`), or a live event. */
export function readOutcomeOf(frame: Buffer): 'answered' | 'event' | undefined {
  if (frame.length <= READ.length + 1) return undefined;
  if (frame.compare(READ, 0, READ.length, 0, READ.length) !== 0) return undefined;
  return frame[READ.length + 1] === I ? 'answered' : 'event';
}

/**
 * ephemeral-chat's protocol over `ws` (and the relay's, which speaks the same frames). Message
 * events and acks, the hot path, are recognised by one byte and read without JSON.parse.
 */
export class JsonClient extends WsClient<Frame> implements Client {
  #nextId = 1;
  #nextReadId = READ_ID_BASE;
  /** Groups this connection has been told it is in (`group.changed` with the group). */
  readonly #groups = new Set<string>();
  readonly #groupWaiters = new Map<string, () => void>();

  constructor(
    user: UserRef,
    private readonly relay: boolean,
    localAddress: string | undefined,
    events: ClientEvents,
  ) {
    super(user, localAddress, events);
  }

  async connect(): Promise<void> {
    const ws = this.dial('/ws');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)));
    });
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => this.#onFrame(data));
    this.watchClose(ws);
    const welcome = await this.#request({ type: 'auth', token: this.user.token });
    if (welcome.type !== 'welcome') throw new Error(`auth: ${JSON.stringify(welcome)}`);
    this.established = true;
  }

  async open(peer: UserRef): Promise<string> {
    if (this.relay) return roomFor(this.user.id, peer.id);
    const opened = await this.#request({ type: 'open', username: peer.username });
    if (opened.type !== 'opened') throw new Error(`open: ${JSON.stringify(opened)}`);
    return String(opened.room);
  }

  send(room: string, text: string, ttl: number, clientMsgId: string): void {
    const id = this.#nextId++;
    this.ws?.send(JSON.stringify({ type: 'send', id, room, text, ttl, clientMsgId }));
  }

  read(room: string, seq: number): void {
    if (this.relay) throw new Error('the relay has no read receipts');
    const id = this.#nextReadId;
    this.#nextReadId = id >= 2 ** 31 - 1 ? READ_ID_BASE : id + 1;
    this.ws?.send(`{"type":"read","id":${id},"room":${JSON.stringify(room)},"seq":${seq}}`);
  }

  async createGroup(name: string, members: UserRef[]): Promise<string> {
    if (this.relay) throw new Error('the relay has no groups');
    const usernames = members.map((m) => m.username);
    const reply = await this.#request({ type: 'group.create', name, usernames });
    const room = (reply.group as { room?: unknown } | undefined)?.room;
    if (reply.type !== 'group' || typeof room !== 'string') {
      throw new Error(`group.create: ${JSON.stringify(reply).slice(0, 200)}`);
    }
    return room;
  }

  joinGroup(room: string): Promise<void> {
    if (this.relay) return Promise.reject(new Error('the relay has no groups'));
    if (this.#groups.has(room)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#groupWaiters.delete(room);
        reject(new Error(`no group.changed for ${room} within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.#groupWaiters.set(room, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async history(room: string, limit: number): Promise<void> {
    const reply = await this.#request({ type: 'history', room, limit });
    if (reply.type !== 'history') throw new Error(`history: ${JSON.stringify(reply)}`);
  }

  #request(frame: Frame): Promise<Frame> {
    const id = this.#nextId++;
    return this.request(id, `no reply to ${frame.type}`, JSON.stringify({ ...frame, id }));
  }

  #onFrame(data: Buffer): void {
    const kind = data[TYPE_AT];
    if (kind === M) {
      const id = clientMsgIdOf(data, 40);
      if (id !== undefined) this.events.onMessage(id, data);
      return;
    }
    if (kind === A) {
      this.events.onAck(true);
      return;
    }
    if (kind === R) {
      const outcome = readOutcomeOf(data);
      if (outcome) {
        this.events.onRead(outcome);
        return;
      }
    }
    const frame = JSON.parse(data.toString()) as Frame;
    if (frame.type === 'group.changed' && typeof frame.room === 'string' && frame.group) {
      this.#groups.add(frame.room);
      this.#groupWaiters.get(frame.room)?.();
      this.#groupWaiters.delete(frame.room);
      return;
    }
    const id = typeof frame.id === 'number' ? frame.id : undefined;
    const reply = id === undefined ? undefined : this.takeReply(id);
    if (reply) reply(frame);
    else if (frame.type === 'error' && id !== undefined) {
      if (id >= READ_ID_BASE) this.events.onRead('refused');
      else this.events.onAck(false);
    }
  }
}
