import { keyOf, type Source, type WireMessage } from './wire.js';

/** Allowance for transit and this process's event loop: every process shares one clock here. */
export const EXPIRY_ALLOWANCE_MS = 250;
/** A message must outlive a catch-up by this much before its absence counts as lost. */
export const LOST_MARGIN_MS = 1000;

/** One send, from the sender's point of view. */
export interface SendRecord {
  readonly key: string;
  readonly from: string;
  readonly to: string;
  readonly room: string;
  readonly clientMsgId: string;
  /**
   * acked: an `ack` within the client's deadline. failed: an `error` reply, or no reply within the
   * deadline (the client tells its user it failed). unanswered: the socket closed first — the
   * client cannot know, so nothing is promised either way and it is counted on neither side.
   */
  outcome: 'pending' | 'acked' | 'failed' | 'unanswered';
  failure?: string;
  failedAt?: number;
  ackAt?: number;
  expiresAt?: number;
}

/**
 * Every send and every delivery of a run, and the counters the soak prints. A message is named by
 * (sender, clientMsgId) — the only identity that survives a second stored copy under another seq.
 */
export class Ledger {
  readonly sends = new Map<string, SendRecord>();
  /** Acked messages by room, oldest first, for catch-up audits; expired ones are dropped. */
  readonly #ackedByRoom = new Map<string, SendRecord[]>();
  /** Per receiver: keys of the peer's messages it got by any path. */
  readonly #seen = new Map<string, Set<string>>();
  /** (sender, clientMsgId) → first seq observed (ack or delivery). */
  readonly #seqOf = new Map<string, number>();
  /** room:seq → key of the message first observed under it. */
  readonly #keyAt = new Map<string, string>();
  /** Per client: room:seq of each live `message` event. */
  readonly #live = new Map<string, Set<string>>();
  /** Keys an audit found missing; lost unless delivered later. */
  readonly #flagged = new Set<string>();
  readonly #storedAfterFailure = new Set<string>();
  readonly #failed: SendRecord[] = [];
  /** Keys a catch-up audit checked and found delivered: how much the lost count covers. */
  readonly #auditedOk = new Set<string>();
  /** Failure answers by error code (or `timeout`); late deliveries by source. */
  readonly failuresBy: Record<string, number> = {};
  readonly servedAfterExpiryBy: Partial<Record<Source, number>> = {};
  #storedFoundByProbe = 0;
  readonly counts = {
    /** Connections that reached `welcome` after a client's first: reconnects the faults caused. */
    reconnects: 0,
    lateAcks: 0,
    servedAfterExpiry: 0,
    /** The same (sender, clientMsgId) under two seqs: a second stored copy. */
    duplicateStored: 0,
    /** The same seq twice as a live event to one client: delivered twice. */
    duplicateLive: 0,
    /** Two different messages under one seq. */
    seqConflicts: 0,
    /** How long after its expiresAt the latest late entry arrived. */
    servedAfterExpiryWorstMs: 0,
  };

  sent(r: SendRecord): void {
    this.sends.set(r.key, r);
  }

  acked(r: SendRecord, m: WireMessage, at: number): void {
    if (r.outcome !== 'pending') {
      // Too late: the client already said it failed (or lost the socket). Stored all the same.
      if (r.outcome === 'failed') this.#lateAck(r);
      this.#identify(m);
      return;
    }
    r.outcome = 'acked';
    r.ackAt = at;
    r.expiresAt = m.expiresAt;
    const list = this.#ackedByRoom.get(r.room) ?? [];
    list.push(r);
    this.#ackedByRoom.set(r.room, list);
    this.#identify(m);
  }

  failed(r: SendRecord, why: string): void {
    if (r.outcome !== 'pending') return;
    r.outcome = 'failed';
    r.failure = why;
    r.failedAt = Date.now();
    this.#failed.push(r);
    this.failuresBy[why] = (this.failuresBy[why] ?? 0) + 1;
    // Delivered to someone before the failure answer arrived: stored, whatever was answered.
    if (this.#seqOf.has(r.key)) this.#storedAfterFailure.add(r.key);
  }

  unanswered(r: SendRecord): void {
    if (r.outcome === 'pending') r.outcome = 'unanswered';
  }

  /** A message reached `client` (the user `receiver`) at local time `at` by `source`. */
  observe(client: string, receiver: string, source: Source, m: WireMessage, at: number): void {
    if (source !== 'ack' && at > m.expiresAt + EXPIRY_ALLOWANCE_MS) {
      this.counts.servedAfterExpiry++;
      this.servedAfterExpiryBy[source] = (this.servedAfterExpiryBy[source] ?? 0) + 1;
      this.counts.servedAfterExpiryWorstMs = Math.max(
        this.counts.servedAfterExpiryWorstMs,
        at - m.expiresAt,
      );
    }
    const key = keyOf(m.from, m.clientMsgId);
    if (source === 'live') {
      const live = this.#live.get(client) ?? new Set<string>();
      const at = `${m.room}:${m.seq}`;
      if (live.has(at)) this.counts.duplicateLive++;
      live.add(at);
      this.#live.set(client, live);
    }
    this.#identify(m);
    if (m.from !== receiver) {
      const seen = this.#seen.get(receiver) ?? new Set<string>();
      seen.add(key);
      this.#seen.set(receiver, seen);
    }
    const sent = this.sends.get(key);
    if (sent?.outcome === 'failed') this.#storedAfterFailure.add(key);
  }

  /** The Redis probe found the stored message of a failed send. */
  storedAfterFailure(key: string): void {
    if (!this.#storedAfterFailure.has(key)) this.#storedFoundByProbe++;
    this.#storedAfterFailure.add(key);
  }

  /**
   * `receiver` finished a catch-up of `room` (resume pages until `hasMore` false), the first page
   * asked at `askedAt`, the last answered at `doneAt`. Every peer message acked before `askedAt`
   * was stored before the read, so unless it expired (with a margin) by `doneAt` the receiver must
   * hold it now: below its cursor it saw it or a previous catch-up skipped it (flagged then), above
   * it this catch-up returned it.
   */
  audit(receiver: string, room: string, askedAt: number, doneAt: number): void {
    const list = this.#ackedByRoom.get(room);
    if (!list) return;
    const alive = list.filter((r) => (r.expiresAt ?? 0) > doneAt);
    this.#ackedByRoom.set(room, alive);
    const seen = this.#seen.get(receiver);
    for (const r of alive) {
      if (r.to !== receiver || (r.ackAt ?? Infinity) >= askedAt) continue;
      if ((r.expiresAt ?? 0) <= doneAt + LOST_MARGIN_MS) continue;
      if (seen?.has(r.key)) this.#auditedOk.add(r.key);
      else this.#flagged.add(r.key);
    }
  }

  #identify(m: WireMessage): void {
    const key = keyOf(m.from, m.clientMsgId);
    const seq = this.#seqOf.get(key);
    if (seq === undefined) this.#seqOf.set(key, m.seq);
    else if (seq !== m.seq) this.counts.duplicateStored++;
    const at = `${m.room}:${m.seq}`;
    const other = this.#keyAt.get(at);
    if (other === undefined) this.#keyAt.set(at, key);
    else if (other !== key) this.counts.seqConflicts++;
  }

  #lateAck(r: SendRecord): void {
    this.counts.lateAcks++;
    this.#storedAfterFailure.add(r.key);
  }

  /** The figures of the run, once every client has done its final catch-up. */
  /** `startedAt`: when the load began, to place stored-after-failure sends on the fault timeline. */
  summary(startedAt = 0) {
    let acknowledged = 0;
    let failed = 0;
    let unanswered = 0;
    for (const r of this.sends.values()) {
      if (r.outcome === 'acked') acknowledged++;
      else if (r.outcome === 'failed') failed++;
      else if (r.outcome === 'unanswered') unanswered++;
    }
    const lost = [...this.#flagged].filter((k) => {
      const r = this.sends.get(k);
      return !r || !this.#seen.get(r.to)?.has(k);
    }).length;
    const c = this.counts;
    return {
      acknowledged,
      lost,
      duplicated: c.duplicateStored + c.duplicateLive + c.seqConflicts,
      answeredFailedButStored: this.#storedAfterFailure.size,
      /** Seconds into the load at which those sends were answered failed (distinct, sorted). */
      storedAfterFailureAtS: [
        ...new Set(
          [...this.#storedAfterFailure].map((k) =>
            Math.round(((this.sends.get(k)?.failedAt ?? startedAt) - startedAt) / 1000),
          ),
        ),
      ].sort((a, b) => a - b),
      answeredFailed: failed,
      unanswered,
      /** Flagged missing by a catch-up, then delivered by a later one or the final history. */
      recoveredLate: this.#flagged.size - lost,
      /** Acked messages some catch-up audited (and found delivered): the lost check's reach. */
      auditedDelivered: this.#auditedOk.size,
      storedFoundByProbe: this.#storedFoundByProbe,
      failuresBy: this.failuresBy,
      servedAfterExpiryBy: this.servedAfterExpiryBy,
      ...c,
    };
  }

  /** Failed sends, for the Redis probe. */
  failedSends(): SendRecord[] {
    return this.#failed.filter((r) => !this.#storedAfterFailure.has(r.key));
  }
}

export type Summary = ReturnType<Ledger['summary']>;
