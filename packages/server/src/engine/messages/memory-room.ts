import type { Message } from '@ephemeral-chat/protocol';
import type { Burn, ReadMark, ReadState, UnsendResult } from './message-store.js';
import { BURNS_PER_MARK, UNSEEN_KEEP_MS } from './retention.js';

/** One room's messages in this process, ascending by seq (they are appended in seq order). */
export class MemoryRoom {
  /** The last seq handed out; kept while the room object lives so a restart never goes back. */
  seq = 0;
  readonly messages: Message[] = [];
  /** `from` + `\n` + clientMsgId → message, for idempotent retries. */
  readonly #byClient = new Map<string, Message>();
  /** member → read seq; a send raises its sender's (see MessageStore.markRead). */
  readonly reads = new Map<string, number>();
  /** member → delivered seq (only when above the read seq). */
  readonly #delivered = new Map<string, number>();
  /**
   * member → peer messages after the member's read seq not yet settled (`u`), and the settled
   * count of those that expired unread (`x`): unseenExpired = x + u − live unread (as in Redis).
   */
  readonly #pending = new Map<string, number>();
  readonly #unseen = new Map<string, number>();
  /** Burn messages that have not started burning: seq → sender, ascending. */
  readonly #burns = new Map<number, string>();
  /** Earliest expiresAt held: a prune scans the room only once that instant has passed. */
  #nextExpiry = Number.POSITIVE_INFINITY;
  /** Read state is kept until then (the latest expiresAt plus UNSEEN_KEEP_MS). */
  keepUntil = 0;

  /** Adds a message; `to` is a 1:1 room's recipient (undefined in a group: no unseen accounting). */
  add(message: Message, to: string | undefined): void {
    const from = message.from;
    // Sending reads up to one's own message: settle what the sender had pending first.
    const pending = this.#pending.get(from) ?? 0;
    if (pending > 0) {
      this.#add(this.#unseen, from, Math.max(0, pending - this.unread(from)));
      this.#pending.set(from, 0);
    }
    this.seq = message.seq;
    this.messages.push(message);
    this.#byClient.set(clientKey(from, message.clientMsgId), message);
    this.#nextExpiry = Math.min(this.#nextExpiry, message.expiresAt);
    this.keepUntil = Math.max(this.keepUntil, message.expiresAt + UNSEEN_KEEP_MS);
    this.reads.set(from, message.seq);
    if (to !== undefined) this.#add(this.#pending, to, 1);
    if (message.burn !== undefined) this.#burns.set(message.seq, from);
  }

  /**
   * Raises `member`'s read seq to `seq` (clamped to the latest seq; only while a message is held);
   * never lowers it. Starts the burns it covers and acknowledges the unseen-expired count (call
   * after prune).
   */
  markRead(member: string, seq: number, now: number): ReadMark {
    const stored = this.reads.get(member) ?? 0;
    const unseenCleared = this.#unseenOf(member);
    const want = this.messages.length > 0 ? Math.min(seq, this.seq) : stored;
    const moved = want > stored;
    const read = moved ? want : stored;
    if (moved) this.reads.set(member, read);
    const burned: Burn[] = [];
    let burnMore = false;
    for (const [s, from] of this.#burns) {
      if (s > read) break;
      if (from === member) continue;
      if (burned.length >= BURNS_PER_MARK) {
        burnMore = true;
        break;
      }
      this.#burns.delete(s);
      const burn = this.#burn(s, now);
      if (burn) burned.push(burn);
    }
    this.#unseen.delete(member);
    this.#pending.set(member, this.unread(member));
    return { seq: read, moved, burned, burnMore, unseenCleared };
  }

  /**
   * A group read (call after prune): raises `member`'s read seq as markRead does, then starts the
   * burns with seq ≤ the lowest read seq among `members` (every one of them has read those).
   */
  markGroupRead(member: string, members: readonly string[], seq: number, now: number): ReadMark {
    const stored = this.reads.get(member) ?? 0;
    const want = this.messages.length > 0 ? Math.min(seq, this.seq) : stored;
    const moved = want > stored;
    const read = moved ? want : stored;
    if (moved) this.reads.set(member, read);
    const burned: Burn[] = [];
    let burnMore = false;
    if (this.messages.length > 0) {
      let floor = read;
      for (const m of members) floor = Math.min(floor, this.reads.get(m) ?? 0);
      for (const s of this.#burns.keys()) {
        if (s > floor) break;
        if (burned.length >= BURNS_PER_MARK) {
          burnMore = true;
          break;
        }
        this.#burns.delete(s);
        const burn = this.#burn(s, now);
        if (burn) burned.push(burn);
      }
    }
    return { seq: read, moved, burned, burnMore, unseenCleared: 0 };
  }

  /** New group members read up to the latest seq (only while a message is held). */
  join(members: readonly string[]): void {
    if (this.messages.length === 0) return;
    for (const m of members) if ((this.reads.get(m) ?? 0) < this.seq) this.reads.set(m, this.seq);
  }

  /** Raises `member`'s delivered seq (clamped to the latest seq); moved when it passes max(delivered, read). */
  markDelivered(member: string, seq: number): { seq: number; moved: boolean } {
    const current = this.#deliveredOf(member);
    const want = this.messages.length > 0 ? Math.min(seq, this.seq) : current;
    if (want <= current) return { seq: current, moved: false };
    this.#delivered.set(member, want);
    return { seq: want, moved: true };
  }

  /** `member`'s read state (call after prune). */
  state(member: string, peer: string): ReadState {
    return {
      readSeq: this.reads.get(member) ?? 0,
      peerReadSeq: this.reads.get(peer) ?? 0,
      peerDeliveredSeq: this.#deliveredOf(peer),
      unread: this.unread(member),
      unseenExpired: this.#unseenOf(member),
    };
  }

  /** Held messages after `member`'s read seq (call after prune): all the peer's. */
  unread(member: string): number {
    return this.messages.length - this.firstAfter(this.reads.get(member) ?? 0);
  }

  #unseenOf(member: string): number {
    const pending = this.#pending.get(member) ?? 0;
    return (this.#unseen.get(member) ?? 0) + Math.max(0, pending - this.unread(member));
  }

  #deliveredOf(member: string): number {
    return Math.max(this.#delivered.get(member) ?? 0, this.reads.get(member) ?? 0);
  }

  #add(map: Map<string, number>, key: string, n: number): void {
    map.set(key, (map.get(key) ?? 0) + n);
  }

  /** Lowers a held message's expiresAt to now + burn (when earlier): a new frozen copy replaces it. */
  #burn(seq: number, now: number): Burn | undefined {
    const i = this.firstAfter(seq - 1);
    const message = this.messages[i];
    if (!message || message.seq !== seq || message.burn === undefined) return undefined;
    const expiresAt = Math.min(message.expiresAt, now + message.burn);
    if (expiresAt <= now) return undefined;
    if (expiresAt === message.expiresAt) return undefined;
    const burned: Message = Object.freeze({ ...message, expiresAt });
    this.messages[i] = burned;
    const key = clientKey(message.from, message.clientMsgId);
    if (this.#byClient.get(key) === message) this.#byClient.set(key, burned);
    this.#nextExpiry = Math.min(this.#nextExpiry, expiresAt);
    return { seq, expiresAt };
  }

  /**
   * Deletes `from`'s held message `seq` (call after prune), its idempotency entry and pending burn;
   * when it was after `to`'s read seq, `to`'s pending count drops with it, so it never counts as
   * expired unseen (as the Redis UNSEND script).
   */
  unsend(from: string, to: string | undefined, seq: number): UnsendResult {
    const i = this.firstAfter(seq - 1);
    const message = this.messages[i];
    if (!message || message.seq !== seq) return 'not_found';
    if (message.from !== from) return 'not_sender';
    this.messages.splice(i, 1);
    const key = clientKey(from, message.clientMsgId);
    if (this.#byClient.get(key) === message) this.#byClient.delete(key);
    this.#burns.delete(seq);
    if (to === undefined) return 'unsent';
    const pending = this.#pending.get(to) ?? 0;
    if (seq > (this.reads.get(to) ?? 0) && pending > 0) this.#pending.set(to, pending - 1);
    return 'unsent';
  }

  /** The message held for this id, expired or not, until a prune reclaims it (expiry metrics). */
  held(from: string, clientMsgId: string): Message | undefined {
    return this.#byClient.get(clientKey(from, clientMsgId));
  }

  /** The unexpired message a client already sent with this id, if any. */
  sent(from: string, clientMsgId: string, now: number): Message | undefined {
    const message = this.#byClient.get(clientKey(from, clientMsgId));
    return message && message.expiresAt > now ? message : undefined;
  }

  /** Drops every message with `expiresAt <= now` (and its idempotency entry). */
  prune(now: number): void {
    if (this.#nextExpiry > now) return;
    let next = Number.POSITIVE_INFINITY;
    let kept = 0;
    for (const message of this.messages) {
      if (message.expiresAt > now) {
        this.messages[kept++] = message;
        next = Math.min(next, message.expiresAt);
        continue;
      }
      const key = clientKey(message.from, message.clientMsgId);
      if (this.#byClient.get(key) === message) this.#byClient.delete(key);
      this.#burns.delete(message.seq);
    }
    this.messages.length = kept;
    this.#nextExpiry = next;
  }

  /**
   * How many messages, from index `from` stepping by `step`, fit in `limit` and in `maxBytes` of
   * their JSON array (`[`, `]`, commas): at least one when any is there, so a reader progresses.
   */
  fit(from: number, step: 1 | -1, limit: number, maxBytes: number): number {
    let n = 0;
    let bytes = 1;
    for (let i = from; n < limit && i >= 0 && i < this.messages.length; i += step) {
      const message = this.messages[i];
      if (!message) break;
      const size = jsonBytes(message) + 1;
      if (n > 0 && bytes + size > maxBytes) break;
      bytes += size;
      n++;
    }
    return n;
  }

  /** Index of the first message with `seq > after` (binary search: messages ascend by seq). */
  firstAfter(after: number): number {
    let lo = 0;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.messages[mid]?.seq ?? 0) > after) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** UTF-8 bytes of each message's JSON, computed once: messages are frozen, so it never changes. */
const sizes = new WeakMap<Message, number>();

export function jsonBytes(message: Message): number {
  let size = sizes.get(message);
  if (size === undefined) {
    size = Buffer.byteLength(JSON.stringify(message));
    sizes.set(message, size);
  }
  return size;
}

function clientKey(from: string, clientMsgId: string): string {
  return `${from}\n${clientMsgId}`;
}
