import type { ServerClock } from './clock.js';

interface Entry {
  at: number;
  run: () => void;
}

/** setTimeout takes at most a signed 32-bit delay; a longer one fires at once. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Runs callbacks at server-clock instants from one binary min-heap and ONE timer, armed for the
 * earliest entry: thousands of messages cost one pending timeout, not thousands. Entries are
 * never removed early; a callback checks whether its subject still matters (lazy deletion).
 */
export class ExpiryQueue {
  #heap: Entry[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  readonly #clock: ServerClock;

  constructor(clock: ServerClock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Runs `run` once the server clock reaches `at` (epoch ms). */
  add(at: number, run: () => void): void {
    const h = this.#heap;
    h.push({ at, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as Entry).at <= at) break;
      [h[i], h[p]] = [h[p] as Entry, h[i] as Entry];
      i = p;
    }
    if (at < this.#armedFor) this.reschedule();
  }

  /** Re-arms the timer, e.g. after the clock offset changed. */
  reschedule(): void {
    clearTimeout(this.#timer);
    const next = this.#heap[0];
    this.#armedFor = next ? next.at : Number.POSITIVE_INFINITY;
    if (!next) return;
    const delay = Math.min(MAX_DELAY, Math.max(0, next.at - this.#clock.now()));
    this.#timer = setTimeout(() => this.#fire(), delay);
    // In Node, pending expiries alone must not keep the process alive (a bot that disconnected).
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Drops every entry and the timer. */
  clear(): void {
    this.#heap = [];
    this.reschedule();
  }

  #fire(): void {
    const now = this.#clock.now();
    for (let top = this.#heap[0]; top && top.at <= now; top = this.#heap[0]) {
      this.#pop();
      top.run();
    }
    this.reschedule();
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop() as Entry;
    if (!h.length) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && (h[l] as Entry).at < (h[m] as Entry).at) m = l;
      if (r < h.length && (h[r] as Entry).at < (h[m] as Entry).at) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
      i = m;
    }
  }
}
