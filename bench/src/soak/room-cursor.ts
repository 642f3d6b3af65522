/**
 * How far a client has caught up in one room, by seq (docs/protocol.md: seqs are consecutive while
 * a room holds messages, so a gap means something was missed or has expired; `resume` tells which).
 *
 * Invariant: every seq ≤ `after` was seen, or was absent from a complete catch-up that asked for it
 * (expired, or never stored). Seqs above it that were seen wait in `#ahead` until the gap closes.
 */
export class RoomCursor {
  #after = 0;
  #highest = 0;
  readonly #ahead = new Set<number>();

  /** The `after` to resume from. */
  get after(): number {
    return this.#after;
  }

  get highest(): number {
    return this.#highest;
  }

  /** Something above the cursor was seen while something below it was not. */
  get hasGap(): boolean {
    return this.#highest > this.#after;
  }

  see(seq: number): void {
    if (seq > this.#highest) this.#highest = seq;
    if (seq <= this.#after) return;
    this.#ahead.add(seq);
    this.#advance();
  }

  /**
   * A catch-up asked when the highest seen seq was `highestAtAsk` finished with `replyMax` its last
   * entry's seq. Everything seen before the ask was stored before the read, and the read returned
   * every stored, unexpired seq above the old cursor: so nothing up to either can still arrive.
   */
  caughtUp(highestAtAsk: number, replyMax: number): void {
    const to = Math.max(highestAtAsk, replyMax);
    if (to <= this.#after) return;
    this.#after = to;
    for (const s of this.#ahead) if (s <= to) this.#ahead.delete(s);
    this.#advance();
  }

  #advance(): void {
    while (this.#ahead.delete(this.#after + 1)) this.#after++;
  }
}
