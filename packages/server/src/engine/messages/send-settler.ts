import type { Logger } from '../../logger.js';
import type { RedisClient } from '../redis/redis-client-type.js';
import { DoubtfulSends } from './doubtful-sends.js';
import { LOOK_SENDS } from './settle-scripts.js';

/** One send whose script call failed without telling whether it ran. */
export interface SendTarget {
  /** The message key, and the room's indexes that list the message under `id`. */
  key: string;
  idx: string;
  exp: string;
  id: string;
  /** This send's copy is exactly `head + seq + tail`: how it is told from another send's. */
  head: string;
  tail: string;
  /** Epoch ms by Redis' clock after which APPEND refuses this send. */
  deadline: number;
}

/** Stored: this send's copy, or a live earlier copy of the same id (a duplicate). */
export type Verdict = { json: string; duplicate: boolean } | undefined;

export interface SettleOptions {
  /** How long to keep asking Redis, from the failure; then `unavailable`, and undo later. */
  budgetMs: number;
  /** Pause between two looks (each look waits up to the command timeout). */
  retryMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Settles sends whose script call failed with a timeout or a lost connection: Redis may have run
 * the script (only the reply was lost) or may still run it (a stall). Rather than answer blind, it
 * asks Redis (LOOK_SENDS) until Redis answers: the copy is there → stored; absent with Redis'
 * clock past the deadline → never stored (APPEND refuses from then on); absent before it → ask
 * again just after it. No answer within the budget → not stored as far as the caller is told,
 * and the send is handed to DoubtfulSends, which undoes it once Redis answers again.
 */
export class SendSettler {
  readonly doubtful: DoubtfulSends;

  constructor(
    private readonly redis: Pick<RedisClient, 'eval' | 'on'>,
    logger: Pick<Logger, 'warn'>,
    private readonly options: SettleOptions,
  ) {
    this.doubtful = new DoubtfulSends(redis, logger);
  }

  /**
   * `ran`: the script ran and failed (a Redis error reply), so its outcome is final and one
   * answer from Redis settles it, whatever the clock.
   */
  async settle(sends: readonly SendTarget[], ran: boolean): Promise<Verdict[]> {
    const verdicts: Verdict[] = sends.map(() => undefined);
    let open = sends.map((_, i) => i);
    const end = Date.now() + this.options.budgetMs;
    while (open.length > 0) {
      let wait = this.options.retryMs;
      const seen = await this.#look(open.map((i) => (sends[i] as SendTarget).key));
      if (seen) {
        const [clock, ...values] = seen;
        const next: number[] = [];
        for (const [j, i] of open.entries()) {
          const send = sends[i] as SendTarget;
          const json = values[j] ?? '';
          if (isCopyOf(json, send)) verdicts[i] = { json, duplicate: false };
          else if (json !== '' && isLive(json)) verdicts[i] = { json, duplicate: true };
          else if (!ran && clock <= send.deadline) {
            next.push(i);
            wait = Math.max(wait, send.deadline - clock + 1);
          }
        }
        open = next;
        void this.doubtful.undo();
      }
      if (open.length === 0 || Date.now() + wait > end) break;
      await sleep(wait);
    }
    for (const i of open) this.doubtful.add(sends[i] as SendTarget);
    return verdicts;
  }

  /** Redis' clock and the keys' values ('' for none), or undefined when Redis did not answer. */
  async #look(keys: string[]): Promise<[number, ...string[]] | undefined> {
    try {
      return (await this.redis.eval(LOOK_SENDS, keys.length, ...keys)) as [number, ...string[]];
    } catch {
      return undefined;
    }
  }
}

/** This send's copy: `head + seq + tail`, compared without the expiresAt a burn may have lowered. */
function isCopyOf(json: string, send: SendTarget): boolean {
  const copy = withoutExpiry(json);
  const tail = withoutExpiry(send.tail);
  return (
    copy.length > send.head.length + tail.length &&
    copy.startsWith(send.head) &&
    copy.endsWith(tail)
  );
}

function withoutExpiry(json: string): string {
  const at = json.lastIndexOf('"expiresAt":');
  return at < 0 ? json : json.slice(0, at);
}

/** An earlier message of the same id that APPEND would answer a retry with (see its `prior`). */
function isLive(json: string): boolean {
  try {
    return (JSON.parse(json) as { expiresAt: number }).expiresAt > Date.now();
  } catch {
    return false;
  }
}
