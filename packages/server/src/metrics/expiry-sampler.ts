import type { Message } from '@ephemeral-chat/protocol';
import type { AppendResult, MessageStore } from '../engine/messages/message-store.js';

/** Asks the store about one message: its current expiresAt, or undefined once it is not held. */
export interface ExpiryProbe {
  heldUntil(room: string, from: string, clientMsgId: string): Promise<number | undefined>;
}

/** Where the sampler's results go (ServerMetrics). */
export interface ExpiryReport {
  expiryLag(ms: number, overdue: boolean): void;
  expirySampleDropped(): void;
}

export interface ExpirySamplerOptions {
  /** @default Date.now */
  now?: () => number;
  /** At most one message sampled per this many ms. @default 1000 */
  minGapMs?: number;
  /** At most this many samples in flight; more are not taken. @default 64 */
  maxPending?: number;
  /** Between two checks after expiresAt (and how long before it the burn check runs). @default 250 */
  pollMs?: number;
  /** Given up (observed as this, and counted overdue) when still held this long after expiresAt. @default 60000 */
  giveUpMs?: number;
}

/** How much earlier than sampled a held message's expiry may read and still count as unchanged. */
const SAME_EXPIRY_MS = 100;

type Sample = Pick<Message, 'room' | 'from' | 'clientMsgId' | 'expiresAt'>;

/**
 * Expiry lag, sampled: for at most one stored message a second (and at most `maxPending` at once),
 * asks the store one poll before its expiresAt whether it still holds it unchanged (gone or
 * expiring sooner: burnt, unsent or deleted, so dropped), then from its expiresAt every `pollMs`
 * until it is gone. Bounded: a handful of unref'd timers and one cheap command per poll.
 */
export class ExpirySampler {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #now: () => number;
  readonly #gap: number;
  readonly #max: number;
  readonly #poll: number;
  readonly #giveUp: number;
  #pending = 0;
  #last = Number.NEGATIVE_INFINITY;
  #stopped = false;

  constructor(
    private readonly probe: ExpiryProbe,
    private readonly report: ExpiryReport,
    options: ExpirySamplerOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#gap = options.minGapMs ?? 1000;
    this.#max = options.maxPending ?? 64;
    this.#poll = options.pollMs ?? 250;
    this.#giveUp = options.giveUpMs ?? 60_000;
  }

  /** Whether `offer` would take a message now: a clock read and two comparisons. */
  wants(): boolean {
    return !this.#stopped && this.#pending < this.#max && this.#now() - this.#last >= this.#gap;
  }

  /** Samples the stored message unless one was taken within the gap or too many are in flight. */
  offer(message: () => Sample): void {
    if (!this.wants()) return;
    this.#last = this.#now();
    // Copied: a store's message object may be replaced (burn) and must not be kept alive.
    const { room, from, clientMsgId, expiresAt } = message();
    this.#pending++;
    this.#at(expiresAt - this.#poll, { room, from, clientMsgId, expiresAt });
  }

  /** Samples in flight (tests). */
  get pending(): number {
    return this.#pending;
  }

  /** Cancels every sample in flight; nothing is observed after this. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#pending = 0;
  }

  #at(when: number, sample: Sample): void {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        void this.#check(sample);
      },
      Math.max(0, when - this.#now()),
    );
    timer.unref();
    this.#timers.add(timer);
  }

  async #check(sample: Sample): Promise<void> {
    const asked = this.#now();
    let held: number | undefined;
    try {
      held = await this.probe.heldUntil(sample.room, sample.from, sample.clientMsgId);
    } catch {
      return this.#end(() => this.report.expirySampleDropped());
    }
    if (this.#stopped) return;
    const late = asked - sample.expiresAt;
    if (late < 0) {
      // Before expiresAt: a message gone already, or ending sooner, did not expire by its TTL.
      if (held === undefined || held < sample.expiresAt - SAME_EXPIRY_MS) {
        return this.#end(() => this.report.expirySampleDropped());
      }
      return this.#at(sample.expiresAt, sample);
    }
    if (held === undefined) return this.#end(() => this.report.expiryLag(late, false));
    if (late >= this.#giveUp) return this.#end(() => this.report.expiryLag(this.#giveUp, true));
    this.#at(asked + this.#poll, sample);
  }

  #end(record: () => void): void {
    if (this.#stopped) return;
    this.#pending--;
    record();
  }
}

/**
 * Offers newly stored messages of `store` to the sampler (a retry's duplicate is not new). Wraps
 * the instance's `append`, so neither the store nor its callers know about metrics. Per send it
 * costs one `wants()`; only a send the sampler would take gets a callback on its (unchanged)
 * promise, and its message is read then (the Redis store parses it lazily).
 */
export function sampleAppends(store: Pick<MessageStore, 'append'>, sampler: ExpirySampler): void {
  const append = store.append.bind(store);
  const offer = (result: AppendResult) => {
    if (!result.duplicate) sampler.offer(() => result.message);
  };
  store.append = (input) => {
    const stored = append(input);
    // Its caller handles a rejection; this branch only ignores it.
    if (sampler.wants()) stored.then(offer, () => {});
    return stored;
  };
}
