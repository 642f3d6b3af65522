import type { ClientFrame, RequestType, ServerFrame } from '@ephemeral-chat/protocol';
import type { Clock } from '../clock.js';
import { ChatError, fromPayload } from '../errors.js';
import type { ExpiryQueue } from '../expiry-queue.js';

/** A client frame as the caller builds it; the outbox adds the request `id`. */
export type Outgoing = ClientFrame extends infer F ? (F extends F ? Omit<F, 'id'> : never) : never;

/** An outgoing frame that expects an answer (every one but `typing`). */
export type OutgoingRequest = Extract<Outgoing, { type: RequestType }>;

export interface RequestOptions {
  /** Re-sent after a reconnect (must be idempotent); else bound to its socket. @default true */
  persist?: boolean;
  /** Server time by which it must be settled. @default now + requestTimeoutMs */
  deadline?: number;
  /** What it fails with at its deadline. @default 'timeout' */
  code?: 'timeout' | 'expired';
}

interface Pending {
  frame: OutgoingRequest;
  resolve(frame: ServerFrame): void;
  reject(error: ChatError): void;
  persist: boolean;
  deadline: number;
  code: 'timeout' | 'expired';
  /** The request id while in flight on the current socket. */
  id?: number | undefined;
  /** Waiting out a `rate_limited` answer. */
  held?: boolean;
}

/**
 * Requests and their answers by id, across sockets: persisted requests wait while the socket is
 * down and are sent again (a send keeps its clientMsgId, so it lands once); every request fails
 * at its deadline, checked by the client's one expiry queue.
 */
export class Outbox {
  #pending = new Set<Pending>();
  #inflight = new Map<number, Pending>();
  #nextId = 1;
  #holdTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #clock: Clock;
  readonly #queue: ExpiryQueue;
  /** Writes a frame to the open socket; false when there is none. */
  readonly #write: (frame: object) => boolean;

  constructor(clock: Clock, queue: ExpiryQueue, write: (frame: object) => boolean) {
    this.#clock = clock;
    this.#queue = queue;
    this.#write = write;
  }

  /** A fresh request id, for frames outside the outbox (auth). */
  id(): number {
    return this.#nextId++;
  }

  add(
    frame: OutgoingRequest,
    options: RequestOptions,
    defaultDeadline: number,
  ): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const deadline = options.deadline ?? defaultDeadline;
      const code = options.code ?? 'timeout';
      const p: Pending = {
        frame,
        resolve,
        reject,
        persist: options.persist ?? true,
        deadline,
        code,
      };
      this.#pending.add(p);
      this.#queue.add(deadline, () => {
        // A send in flight waits for its ack or its socket's end: it may have been stored.
        if (this.#pending.has(p) && !(code === 'expired' && p.id !== undefined)) this.#lapse(p);
      });
      this.#transmit(p);
    });
  }

  /** Settles the request `f` answers; false if it answers none of ours. */
  answer(f: ServerFrame): boolean {
    const p = 'id' in f && f.id !== undefined ? this.#inflight.get(f.id) : undefined;
    if (!p) return false;
    this.#inflight.delete(p.id as number);
    p.id = undefined;
    if (f.type !== 'error') this.#settle(p, () => p.resolve(f));
    else if (f.error.code === 'rate_limited' && p.persist) this.#hold(p, f.error.retryAfter ?? 1);
    else this.#settle(p, () => p.reject(fromPayload(f.error)));
    return true;
  }

  /** Sends every request that is neither in flight nor waiting out a rate limit. */
  flush(): void {
    for (const p of this.#pending) if (p.id === undefined && !p.held) this.#transmit(p);
  }

  /** The socket is gone: one-shot requests fail, persisted ones wait (unless past deadline). */
  lost(): void {
    for (const p of this.#inflight.values()) {
      p.id = undefined;
      if (!p.persist)
        this.#settle(p, () => p.reject(new ChatError('disconnected', 'Socket lost.')));
      else if (this.#clock.now() >= p.deadline) this.#lapse(p);
    }
    this.#inflight.clear();
    // A rate limit belongs to the socket: the next one starts with a full bucket.
    this.#unhold();
  }

  failAll(error: ChatError): void {
    for (const p of [...this.#pending]) this.#settle(p, () => p.reject(error));
  }

  #transmit(p: Pending): void {
    if (this.#clock.now() >= p.deadline) {
      this.#lapse(p);
      return;
    }
    const id = this.#nextId++;
    if (!this.#write({ ...p.frame, id })) return;
    p.id = id;
    this.#inflight.set(id, p);
  }

  #hold(p: Pending, retryAfterS: number): void {
    p.held = true;
    this.#holdTimer ??= setTimeout(() => {
      this.#unhold();
      this.flush();
    }, retryAfterS * 1000);
  }

  #unhold(): void {
    clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    for (const p of this.#pending) p.held = false;
  }

  #lapse(p: Pending): void {
    const what = p.code === 'expired' ? 'Its ttl ran out before it was stored' : 'No answer';
    this.#settle(p, () => p.reject(new ChatError(p.code, `${what} (${p.frame.type}).`)));
  }

  #settle(p: Pending, done: () => void): void {
    if (!this.#pending.delete(p)) return;
    if (p.id !== undefined) this.#inflight.delete(p.id);
    done();
  }
}
