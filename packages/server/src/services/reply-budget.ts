import { AppError } from '../errors/app-error.js';

/**
 * A node-wide budget of bytes of replies being read and built. Each read reserves the most its
 * reply may hold (`replyMaxBytes`) until the reply is built; past the budget a read is refused
 * with `rate_limited` (`retryAfter` 1 s) instead of growing the heap. Once sent, a reply counts
 * against its socket's send buffer (`WS_MAX_BACKPRESSURE_BYTES`) instead.
 */
export class ReplyBudget {
  #inFlight = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes reserved right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  async run<T>(bytes: number, read: () => Promise<T>): Promise<T> {
    // One read always runs, whatever the budget, so a tiny budget still serves.
    if (this.#inFlight > 0 && this.#inFlight + bytes > this.maxBytes) {
      throw new AppError('rate_limited', 'The server is busy; retry in 1 s.', { retryAfter: 1 });
    }
    this.#inFlight += bytes;
    try {
      return await read();
    } finally {
      this.#inFlight -= bytes;
    }
  }
}
