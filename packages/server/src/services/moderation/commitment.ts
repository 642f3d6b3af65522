import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a commitment covers: the message as every member received it. */
export interface CommittedMessage {
  room: string;
  from: string;
  clientMsgId: string;
  createdAt: number;
  text: string;
}

export interface CommitmentOptions {
  /** The server secret every key derives from (REPORT_SECRET, or one derived from the pepper). */
  secret: Buffer;
  /** Epochs (days) a mac verifies for, counting the current one (REPORT_EVIDENCE_DAYS). */
  evidenceDays: number;
  now?: () => number;
}

/** One key per epoch: keys rotate daily, so a leaked day key forges nothing outside its day. */
export const EPOCH_MS = 86_400_000;
/** A copy dated this far ahead of the server clock is still accepted (clocks of nodes differ). */
const FUTURE_SKEW_MS = 5 * 60_000;
const LABEL = 'ephemeral-chat/report-commitment/v1';

/**
 * The commitment the server makes when it stores a message, so that a reporter can later prove
 * what an expired message said: `mac = base64url(HMAC-SHA256(key(epoch), canonical(m)))`, with
 * `epoch = floor(createdAt / day)` and each day's key derived from the secret. The server keeps no
 * text and no per-message record: the mac travels with the message to every member. It verifies
 * only for `evidenceDays` epochs; past that window a copy proves nothing (a policy bound: the
 * keys are derivable from the secret, so rotating REPORT_SECRET ends every window at once).
 */
export class Commitment {
  readonly #secret: Buffer;
  readonly #days: number;
  readonly #now: () => number;
  readonly #keys = new Map<number, Buffer>();

  constructor(options: CommitmentOptions) {
    if (options.secret.length < 32) throw new Error('The commitment secret needs 32+ bytes.');
    if (!Number.isInteger(options.evidenceDays) || options.evidenceDays < 1) {
      throw new Error('evidenceDays must be a whole number of days, at least 1.');
    }
    this.#secret = options.secret;
    this.#days = options.evidenceDays;
    this.#now = options.now ?? Date.now;
  }

  sign(m: CommittedMessage): string {
    return this.#mac(m).toString('base64url');
  }

  /** True only for the exact message the server signed, within the evidence window. */
  verify(m: CommittedMessage, mac: string): boolean {
    const now = this.#now();
    if (!Number.isSafeInteger(m.createdAt) || m.createdAt < 0) return false;
    if (m.createdAt > now + FUTURE_SKEW_MS) return false;
    if (epochOf(now) - epochOf(m.createdAt) >= this.#days) return false;
    // Decoding is lenient (it skips junk), so re-encode and compare the text too.
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(m);
    return (
      given.length === expected.length &&
      given.toString('base64url') === mac &&
      timingSafeEqual(given, expected)
    );
  }

  #mac(m: CommittedMessage): Buffer {
    return createHmac('sha256', this.#key(epochOf(m.createdAt)))
      .update(canonical(m), 'utf8')
      .digest();
  }

  #key(epoch: number): Buffer {
    let key = this.#keys.get(epoch);
    if (!key) {
      key = createHmac('sha256', this.#secret).update(`${LABEL}/epoch:${epoch}`).digest();
      // A handful of live epochs: the window plus today; older ones are dropped.
      if (this.#keys.size > this.#days + 2) this.#keys.clear();
      this.#keys.set(epoch, key);
    }
    return key;
  }
}

function epochOf(ms: number): number {
  return Math.floor(ms / EPOCH_MS);
}

/** Unambiguous: a JSON array, so no field can spill into the next ("a:b" + "c" ≠ "a" + "b:c"). */
export function canonical(m: CommittedMessage): string {
  return JSON.stringify(['v1', m.room, m.from, m.clientMsgId, m.createdAt, m.text]);
}

/**
 * The commitment secret: REPORT_SECRET when set, else derived from the password pepper with its
 * own label (domain separation: the pepper's uses never produce this key, nor this key theirs).
 */
export function commitmentSecret(configured: string | undefined, pepper: Buffer): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  return createHmac('sha256', pepper).update(`${LABEL}/secret-from-pepper`).digest();
}
