import type { ReplyTo, ServerFrame } from '@ephemeral-chat/protocol';
import { closeCodes } from '@ephemeral-chat/protocol/constants';
import { backoffDelay } from '../backoff.js';
import type { Clock } from '../clock.js';
import { ChatError, fromPayload } from '../errors.js';
import type { ExpiryQueue } from '../expiry-queue.js';
import type { ResolvedOptions } from '../options.js';
import type { WebSocketLike } from '../platform.js';
import { Outbox, type Outgoing, type OutgoingRequest, type RequestOptions } from './outbox.js';
import { type ConnectionState, type StateDetail, StateMachine } from './state-machine.js';

export interface ConnectionHooks {
  state(state: ConnectionState, detail: StateDetail): void;
  /** Authenticated, on the first connect and after every reconnect. */
  welcome(frame: ReplyTo<'auth'>): void;
  /** A frame that answers no request: live message, typing, presence change, stray error. */
  event(frame: ServerFrame): void;
}

const finalCodes: number[] = Object.values(closeCodes)
  .filter((c) => c.final)
  .map((c) => c.code);
const noop = () => {};

/**
 * One logical connection over successive sockets: in-band auth, heartbeats, and reconnects with
 * backoff until the server refuses the session. Requests go through the outbox.
 */
export class Connection {
  readonly machine: StateMachine;
  readonly #o: ResolvedOptions;
  readonly #clock: Clock;
  readonly #queue: ExpiryQueue;
  readonly #hooks: ConnectionHooks;
  readonly #outbox: Outbox;
  #socket: WebSocketLike | undefined;
  #authId = 0;
  #authError: ChatError | undefined;
  #attempt = 0;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Bumped whenever an attempt starts or the socket is let go, to spot stale async steps. */
  #gen = 0;

  constructor(o: ResolvedOptions, clock: Clock, queue: ExpiryQueue, hooks: ConnectionHooks) {
    this.#o = o;
    this.#clock = clock;
    this.#queue = queue;
    this.#hooks = hooks;
    this.machine = new StateMachine(hooks.state);
    this.#outbox = new Outbox(clock, queue, (frame) => {
      if (this.state !== 'open' || !this.#socket) return false;
      this.#socket.send(JSON.stringify(frame));
      return true;
    });
  }

  get state(): ConnectionState {
    return this.machine.state;
  }

  /** Starts connecting unless already connecting, open or reconnecting. */
  connect(): void {
    const s = this.state;
    if (s === 'connecting' || s === 'open' || s === 'reconnecting') return;
    this.machine.to('connecting');
    this.#attempt = 0;
    void this.#open();
  }

  /** Closes for good (until `connect()`); every pending request fails with `not_connected`. */
  close(): void {
    this.#stop();
    this.machine.to('closed');
    this.#outbox.failAll(new ChatError('not_connected', 'The client was disconnected.'));
  }

  /** Sends a frame that expects no answer (typing, delivered) if a socket is open; else drops it. */
  notify(frame: Outgoing): boolean {
    const ws = this.state === 'open' && this.#socket;
    if (ws) ws.send(JSON.stringify(frame));
    return !!ws;
  }

  /** Sends a request and resolves with its answer, typed by the protocol's reply map. */
  request<F extends OutgoingRequest>(
    frame: F,
    options: RequestOptions = {},
  ): Promise<ReplyTo<F['type']>> {
    const persist = options.persist ?? true;
    const s = this.state;
    if (persist ? s === 'idle' || s === 'closed' || s === 'unauthorized' : s !== 'open') {
      const code = persist ? 'not_connected' : 'disconnected';
      return Promise.reject(new ChatError(code, `Not connected (${s}).`));
    }
    const settled = this.#outbox.add(frame, options, this.#clock.now() + this.#o.requestTimeoutMs);
    // The server answers a request's id with its reply type or an error (which rejects).
    return settled as Promise<ReplyTo<F['type']>>;
  }

  async #open(): Promise<void> {
    const gen = ++this.#gen;
    const o = this.#o;
    let token: string | undefined;
    let ws: WebSocketLike;
    try {
      token = o.auth === 'token' ? await o.tokenStore.get() : undefined;
      if (gen !== this.#gen) return;
      if (o.auth === 'token' && !token) {
        this.#unauthorized(undefined, new ChatError('auth_required', 'Sign in first: no token.'));
        return;
      }
      ws = new o.WebSocket(o.wsUrl);
    } catch (err) {
      if (gen === this.#gen) this.#retry({ error: err as Error });
      return;
    }
    this.#socket = ws;
    this.#authError = undefined;
    this.#timers.push(setTimeout(() => this.#drop(ws), o.connectTimeoutMs));
    let sentAt = Date.now();
    ws.onopen = () => {
      sentAt = Date.now();
      if (!token) return; // cookie auth: the server welcomes by itself
      this.#authId = this.#outbox.id();
      ws.send(JSON.stringify({ type: 'auth', id: this.#authId, token }));
    };
    ws.onmessage = (e) => this.#receive(String(e.data), sentAt);
    ws.onclose = (e) => this.#drop(ws, e.code);
    ws.onerror = noop;
  }

  #receive(data: string, sentAt: number): void {
    let f: ServerFrame;
    try {
      f = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (f.type === 'welcome') {
      for (const t of this.#timers) clearTimeout(t);
      this.#clock.sample(sentAt, Date.now(), f.serverTime);
      this.#queue.reschedule();
      this.#attempt = 0;
      this.machine.to('open');
      this.#heartbeat = setInterval(() => this.#ping(), this.#o.heartbeatIntervalMs);
      this.#hooks.welcome(f);
      this.#outbox.flush();
    } else if (!this.#outbox.answer(f)) {
      const id = 'id' in f ? f.id : undefined;
      if (id === undefined) this.#hooks.event(f);
      else if (f.type === 'error' && id === this.#authId) this.#authError = fromPayload(f.error);
    }
  }

  async #ping(): Promise<void> {
    const ws = this.#socket;
    const sentAt = Date.now();
    try {
      const deadline = this.#clock.now() + this.#o.heartbeatTimeoutMs;
      const pong = await this.request({ type: 'ping' }, { persist: false, deadline });
      if (pong.type === 'pong') this.#clock.sample(sentAt, Date.now(), pong.serverTime);
    } catch (err) {
      // No pong in time: the socket is dead without knowing it (no FIN, e.g. a lost network).
      if ((err as ChatError).code === 'timeout' && ws && ws === this.#socket) this.#drop(ws);
    }
  }

  /** The socket closed or is presumed dead: keep or fail its requests, then retry or stop. */
  #drop(ws: WebSocketLike, closeCode?: number): void {
    if (ws !== this.#socket) return;
    this.#stop();
    this.#outbox.lost();
    const cookieRefused = this.#o.auth === 'cookie' && closeCode === closeCodes.auth_timeout.code;
    if (closeCode !== undefined && (finalCodes.includes(closeCode) || cookieRefused)) {
      this.#unauthorized(closeCode, this.#authError);
    } else {
      this.#retry(closeCode === undefined ? {} : { closeCode });
    }
  }

  #retry(detail: Omit<StateDetail, 'previous'>): void {
    this.machine.to('reconnecting', detail);
    const o = this.#o;
    const delay = backoffDelay(this.#attempt++, o.reconnectBaseDelayMs, o.reconnectMaxDelayMs);
    this.#timers.push(setTimeout(() => void this.#open(), delay));
  }

  #unauthorized(
    closeCode: number | undefined,
    error = new ChatError('session_invalid', 'The session ended: sign in again.'),
  ): void {
    this.#stop();
    // A refused token is useless: forget it (a store failing to is not worth a crash).
    if (this.#o.auth === 'token') Promise.resolve(this.#o.tokenStore.clear()).catch(noop);
    this.machine.to('unauthorized', { error, ...(closeCode === undefined ? {} : { closeCode }) });
    this.#outbox.failAll(error);
  }

  /** Lets go of the socket and every timer of this connection. */
  #stop(): void {
    const ws = this.#socket;
    this.#socket = undefined;
    this.#gen++;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    clearInterval(this.#heartbeat);
    if (!ws) return;
    // Keep no-op handlers: `ws` throws on an `error` event that has no listener.
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = noop;
    try {
      ws.close();
    } catch {
      // already closing
    }
  }
}
