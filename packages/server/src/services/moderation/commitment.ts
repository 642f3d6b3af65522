import * as crypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** SHA3-256 as base64url: the one-shot `crypto.hash` (Node ≥ 20.12), else a Hash object. */
const sha3: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha3-256', data, 'base64url')
    : (data) => createHash('sha3-256').update(data, 'utf8').digest('base64url');

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
/** Characters of the digest kept: 22 base64url characters, 132 bits. */
const MAC_CHARS = 22;

/**
 * The commitment the server makes when it stores a message, so that a reporter can later prove
 * what an expired message said: `mac` = the first 22 base64url characters (132 bits) of
 * `SHA3-256(key(epoch) ‖ canonical(m))` (a keyed-sponge MAC, see #mac), with
 * `epoch = floor(createdAt / day)` and each day's key derived from the secret. The server keeps no
 * text and no per-message record: the mac travels with the message to every member. It verifies
 * only for `evidenceDays` epochs; past that window a copy proves nothing (a policy bound: the
 * keys are derivable from the secret, so rotating REPORT_SECRET ends every window at once).
 */
export class Commitment {
  readonly #secret: Buffer;
  readonly #days: number;
  readonly #now: () => number;
  readonly #keys = new Map<number, string>();

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
    return this.#mac(m);
  }

  /** True only for the exact message the server signed, within the evidence window. */
  verify(m: CommittedMessage, mac: string): boolean {
    const now = this.#now();
    if (!Number.isSafeInteger(m.createdAt) || m.createdAt < 0) return false;
    if (m.createdAt > now + FUTURE_SKEW_MS) return false;
    if (epochOf(now) - epochOf(m.createdAt) >= this.#days) return false;
    const given = Buffer.from(mac, 'latin1');
    const expected = Buffer.from(this.#mac(m), 'latin1');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * SHA3-256 over the day's key (64 hex characters, fixed length) followed by the canonical form:
   * the keyed-sponge MAC that KMAC (NIST SP 800-185) standardizes — SHA-3 has no length
   * extension, so a prefix key is a sound MAC, and one one-shot hash costs a third of an HMAC
   * (this runs on every send). Its first MAC_CHARS base64url characters (132 bits) are kept.
   */
  #mac(m: CommittedMessage): string {
    const key = this.#key(epochOf(m.createdAt));
    return sha3(key + canonical(m)).slice(0, MAC_CHARS);
  }

  #key(epoch: number): string {
    let key = this.#keys.get(epoch);
    if (!key) {
      key = createHmac('sha256', this.#secret).update(`${LABEL}/epoch:${epoch}`).digest('hex');
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
  // Every field but the last is length-prefixed (UTF-16 units), so no two messages share a form;
  // it runs on every send, and JSON.stringify of the text cost as much as the MAC itself.
  return `v2\n${m.room.length}:${m.room}${m.from.length}:${m.from}${m.clientMsgId.length}:${m.clientMsgId}${m.createdAt}\n${m.text}`;
}

/**
 * The commitment secret: REPORT_SECRET when set, else derived from the password pepper with its
 * own label (domain separation: the pepper's uses never produce this key, nor this key theirs).
 */
export function commitmentSecret(configured: string | undefined, pepper: Buffer): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  return createHmac('sha256', pepper).update(`${LABEL}/secret-from-pepper`).digest();
}
