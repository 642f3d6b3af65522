/** How long receipts for one room gather before one `delivered` frame carries the highest seq. */
const WINDOW_MS = 100;

/**
 * Delivery receipts: the peer's messages this client received (each is reported once by the
 * store), told to the server as one `delivered` frame per room per ~100 ms with the highest seq,
 * never one per message. A window that ends while the socket is down waits for the next one.
 */
export class DeliveredReceipts {
  readonly #pending = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes a `delivered` frame; false when no socket is open. */
  readonly #write: (room: string, seq: number) => boolean;

  constructor(write: (room: string, seq: number) => boolean) {
    this.#write = write;
  }

  /** The client received `room` up to `seq`. */
  add(room: string, seq: number): void {
    this.#pending.set(room, Math.max(seq, this.#pending.get(room) ?? 0));
    this.#timer ??= setTimeout(() => this.flush(), WINDOW_MS);
  }

  /** Writes what gathered (also after a reconnect); keeps it if the socket is down. */
  flush(): void {
    this.clear(false);
    for (const [room, seq] of this.#pending) {
      if (!this.#write(room, seq)) return;
      this.#pending.delete(room);
    }
  }

  /** Ends the window; `forget` (sign-out) also drops what gathered. */
  clear(forget = true): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (forget) this.#pending.clear();
  }
}
