const WINDOW = 8;

/** An estimate of the server's clock: `now()` is server time, from the local clock and an offset. */
export interface ServerClock {
  /** Server time minus local time, in ms (positive when the server is ahead). */
  readonly offset: number;
  /** The current server time, epoch ms. */
  now(): number;
}

/**
 * NTP-style offset from request/reply pairs: the server read its clock about halfway through the
 * round trip, so `offset = serverTime - (sentAt + receivedAt) / 2`, off by at most half the RTT.
 * Of the last few samples the one with the shortest round trip wins, being the tightest bound.
 */
export class Clock implements ServerClock {
  #samples: { rtt: number; offset: number }[] = [];
  offset = 0;

  constructor(private readonly local: () => number = Date.now) {}

  now(): number {
    return this.local() + this.offset;
  }

  /** Records one exchange: local send and receive times around the server's `serverTime`. */
  sample(sentAt: number, receivedAt: number, serverTime: number): void {
    const s = this.#samples;
    s.push({
      rtt: receivedAt - sentAt,
      offset: Math.round(serverTime - (sentAt + receivedAt) / 2),
    });
    if (s.length > WINDOW) s.shift();
    let best = s[0] as { rtt: number; offset: number };
    for (const x of s) if (x.rtt < best.rtt) best = x;
    this.offset = best.offset;
  }
}
