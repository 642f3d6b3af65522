import type { ReplyTo, ServerFrame } from '@ephemeral-chat/protocol';
import { closeCodes } from '@ephemeral-chat/protocol/constants';
import { backoffDelay } from '../backoff.js';
import type { Clock } from '../clock.js';
import { ChatError, fromPayload } from '../errors.js';
import type { ExpiryQueue } from '../expiry-queue.js';
import type { ResolvedOptions } from '../options.js';
import type { WebSocketConstructor, WebSocketLike } from '../platform.js';
import { onNetworkChange } from './network-events.js';
import { Outbox, type Outgoing, type OutgoingRequest, type RequestOptions } from './outbox.js';
import { type ConnectionState, type StateDetail, StateMachine } from './state-machine.js';

export interface ConnectionHooks {
  state(state: ConnectionState, detail: StateDetail): void;
  /** Authenticated, on the first connect and after every reconnect. */
  welcome(frame: ReplyTo<'auth'>): void;
  /** A frame that answers no request: live message, typing, presence change, stray error. */
  event(frame: ServerFrame): void;
  /**
   * Host sign-in, while `active`: `renew` makes sure a session is stored (asking the host for a
   * fresh token if needed) before an attempt, also after the server ended the session.
   */
  host?: { readonly active: boolean; renew(): Promise<boolean>; stale(): void };
}

const finalCodes: number[] = Object.values(closeCodes)
  .filter((c) => c.final)
  .map((c) => c.code);
const noop = () => {};
/**
 * A request unanswered this long (ms) while open brings a heartbeat forward, answered within
 * `quickPingTimeoutMs` or the socket is dropped: a send on a dead network is noticed in seconds,
 * not after the next regular heartbeat and its timeout (up to 30 s by default).
 */
const quickPingAfterMs = 2000;
const quickPingTimeoutMs = 3000;

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
  #offNetwork: (() => void) | undefined;
  #quickPing = false;

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
    this.#offNetwork ??= onNetworkChange(
      () => this.#networkBack(),
      () => this.#networkLost(),
    );
    void this.#open();
  }

  /** Closes for good (until `connect()`); every pending request fails with `not_connected`. */
  close(): void {
    this.#offNetwork?.();
    this.#offNetwork = undefined;
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
      const hint = persist ? ': sign in, then call connect() first' : '';
      return Promise.reject(new ChatError(code, `Not connected (${s})${hint}.`));
    }
    const settled = this.#outbox.add(frame, options, this.#clock.now() + this.#o.requestTimeoutMs);
    if (persist && s === 'open') this.#watchReply(settled);
    // The server answers a request's id with its reply type or an error (which rejects).
    return settled as Promise<ReplyTo<F['type']>>;
  }

  async #open(): Promise<void> {
    const gen = ++this.#gen;
    const o = this.#o;
    let token: string | undefined;
    let ws: WebSocketLike;
    try {
      if (this.#hooks.host?.active && !(await this.#renewed(gen))) return;
      token = o.auth === 'token' ? await o.tokenStore.get() : undefined;
      if (gen !== this.#gen) return;
      if (o.auth === 'token' && !token) {
        this.#unauthorized(undefined, new ChatError('auth_required', 'Sign in first: no token.'));
        return;
      }
      // `Client.connect()` checked there is one (an HTTP-only client needs none).
      ws = new (o.WebSocket as WebSocketConstructor)(o.wsUrl);
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

  /** Host sign-in before an attempt; a refused host token signs out, a failed call retries. */
  async #renewed(gen: number): Promise<boolean> {
    try {
      const ok = await this.#hooks.host?.renew();
      if (gen !== this.#gen) return false;
      if (!ok) this.#unauthorized(undefined);
      return !!ok;
    } catch (err) {
      if (gen !== this.#gen) return false;
      const e = err as ChatError;
      if (e.code === 'network' || e.code === 'unavailable' || e.code === 'rate_limited') {
        this.#retry({ error: e });
      } else this.#unauthorized(undefined, e);
      return false;
    }
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

  /** A heartbeat sooner than the next one while `settled` waits (see `quickPingAfterMs`). */
  #watchReply(settled: Promise<unknown>): void {
    let done = false;
    settled.then(
      () => (done = true),
      () => (done = true),
    );
    const timer = setTimeout(() => {
      if (done || this.#quickPing || this.state !== 'open') return;
      this.#quickPing = true;
      void this.#ping(quickPingTimeoutMs).finally(() => (this.#quickPing = false));
    }, quickPingAfterMs);
    this.#timers.push(timer);
  }

  /** The browser lost its network: the socket is dead, whether it knows or not. */
  #networkLost(): void {
    const ws = this.#socket;
    if (ws && this.state === 'open') this.#drop(ws);
  }

  /** The network is back: try now rather than at the end of the backoff. */
  #networkBack(): void {
    if (this.state !== 'reconnecting' || this.#socket) return;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    this.#attempt = 0;
    void this.#open();
  }

  async #ping(timeoutMs = this.#o.heartbeatTimeoutMs): Promise<void> {
    const ws = this.#socket;
    const sentAt = Date.now();
    try {
      const deadline = this.#clock.now() + timeoutMs;
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
    // With host sign-in an ended session is renewed (the next attempt asks the host) once in a
    // row: a fresh session refused at once signs the user out rather than looping.
    const renewable = this.#hooks.host?.active === true && this.#attempt === 0;
    if (closeCode !== undefined && finalCodes.includes(closeCode) && renewable) {
      this.#hooks.host?.stale();
      this.#retry({ closeCode });
    } else if (closeCode !== undefined && (finalCodes.includes(closeCode) || cookieRefused)) {
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
