/**
 * One timer for every countdown on the page. Subscribers are called on each tick while at least
 * one is subscribed; with none, no timer runs. Hundreds of messages cost one interval.
 */
export class Ticker {
  readonly #subscribers = new Set<() => void>();
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Calls `fn` on every tick until the returned function is called. */
  subscribe(fn: () => void): () => void {
    this.#subscribers.add(fn);
    this.#timer ??= setInterval(() => {
      for (const f of [...this.#subscribers]) f();
    }, this.#intervalMs);
    return () => {
      this.#subscribers.delete(fn);
      if (this.#subscribers.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /** Whether the timer runs (someone is subscribed). */
  get running(): boolean {
    return this.#timer !== undefined;
  }
}

/**
 * The shared ticker. A quarter second keeps each displayed second within 250 ms of the server's
 * clock; a countdown re-renders only when its text changes.
 */
export const ticker = new Ticker(250);
