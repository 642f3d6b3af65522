import type { Logger } from '../../logger.js';
import { argsOf, sizeOf } from '../redis/lua-layout.js';
import type { RedisClient } from '../redis/redis-client-type.js';
import type { SendTarget } from './send-settler.js';
import { UNDO_ARGV, UNDO_KEYS, UNDO_SEND } from './settle-scripts.js';

/** At most this many doubtful sends remembered; past it the oldest are given up (and logged). */
export const DOUBTFUL_MAX = 10_000;
/** Doubtful sends undone per pass, so one pass never floods a Redis that just came back. */
const UNDO_BATCH = 500;
/** How often undoing is tried while doubtful sends remain. */
const UNDO_EVERY_MS = 1_000;

/**
 * Sends answered `unavailable` while Redis could not say whether it had stored them (it went
 * silent after the script may have run). Each is undone (UNDO_SEND) as soon as Redis answers
 * again, so a write its caller was told failed does not stay: tried at once, on every 'ready',
 * after any settling look that got an answer, and every second while any remain.
 */
export class DoubtfulSends {
  readonly #sends = new Map<string, SendTarget>();
  /** Keys whose undo is on its way to Redis: a retry acked from them now may still be undone. */
  readonly #undoing = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Pick<RedisClient, 'eval' | 'on'>,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly max = DOUBTFUL_MAX,
  ) {
    redis.on('ready', () => void this.undo());
  }

  get size(): number {
    return this.#sends.size;
  }

  add(send: SendTarget): void {
    this.#sends.delete(send.key);
    this.#sends.set(send.key, send);
    if (this.#sends.size > this.max) {
      const oldest = this.#sends.keys().next().value as string;
      this.#sends.delete(oldest);
      this.logger.warn(
        { max: this.max },
        'doubtful sends over the limit: the oldest is not undone',
      );
    }
    this.#timer ??= setInterval(() => void this.undo(), UNDO_EVERY_MS).unref();
    void this.undo();
  }

  /**
   * A send of this key was just acked with the stored copy (a retry found it): it stands, so it
   * is no longer to be undone. False when an undo of it is already on its way (the ack must not
   * be given: that copy is about to go).
   */
  confirm(key: string): boolean {
    if (this.#undoing.has(key)) return false;
    this.#sends.delete(key);
    return true;
  }

  /** One pass over (some of) the doubtful sends; those Redis could not settle stay for the next. */
  async undo(): Promise<void> {
    if (this.#undoing.size > 0 || this.#sends.size === 0) return;
    const batch = [...this.#sends.values()].slice(0, UNDO_BATCH);
    for (const send of batch) this.#undoing.add(send.key);
    const counts = { undone: 0, notStored: 0, left: 0 };
    try {
      const results = await Promise.all(
        batch.map((s) =>
          this.redis.eval(UNDO_SEND, sizeOf(UNDO_KEYS), ...undoArgs(s)).catch(() => undefined),
        ),
      );
      for (const [i, result] of results.entries()) {
        const send = batch[i] as SendTarget;
        // (A newer doubtful send of the same key, added meanwhile, stays.)
        if ((result === 1 || result === 0) && this.#sends.get(send.key) === send) {
          this.#sends.delete(send.key);
        }
        if (result === 1) counts.undone++;
        else if (result === 0) counts.notStored++;
      }
    } finally {
      this.#undoing.clear();
    }
    counts.left = this.#sends.size;
    if (counts.undone + counts.notStored > 0) {
      this.logger.warn(counts, 'sends answered unavailable while Redis was silent: settled');
    }
    if (this.#sends.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

/** UNDO_KEYS then UNDO_ARGV for one send. */
function undoArgs(s: SendTarget): (string | number)[] {
  return [
    ...argsOf(UNDO_KEYS, { idx: s.idx, exp: s.exp, message: s.key }),
    ...argsOf(UNDO_ARGV, { id: s.id, deadline: s.deadline, head: s.head, tail: s.tail }),
  ];
}
