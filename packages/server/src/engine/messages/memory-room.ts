import type { Message } from '@ephemeral-chat/protocol';

/** One room's messages in this process, ascending by seq (they are appended in seq order). */
export class MemoryRoom {
  /** The last seq handed out; kept while the room object lives so a restart never goes back. */
  seq = 0;
  readonly messages: Message[] = [];
  /** `from` + `\n` + clientMsgId → message, for idempotent retries. */
  readonly #byClient = new Map<string, Message>();
  /** member → read seq; a send raises its sender's (see MessageStore.markRead). */
  readonly reads = new Map<string, number>();
  /** Earliest expiresAt held: a prune scans the room only once that instant has passed. */
  #nextExpiry = Number.POSITIVE_INFINITY;

  add(message: Message): void {
    this.seq = message.seq;
    this.messages.push(message);
    this.#byClient.set(clientKey(message.from, message.clientMsgId), message);
    this.#nextExpiry = Math.min(this.#nextExpiry, message.expiresAt);
    this.markRead(message.from, message.seq);
  }

  /** Raises `member`'s read seq to `seq` (clamped to the latest seq); never lowers it. */
  markRead(member: string, seq: number): { seq: number; moved: boolean } {
    const stored = this.reads.get(member) ?? 0;
    const want = Math.min(seq, this.seq);
    if (want <= stored) return { seq: stored, moved: false };
    this.reads.set(member, want);
    return { seq: want, moved: true };
  }

  /** Held messages after `member`'s read seq (call after prune): all the peer's. */
  unread(member: string): number {
    return this.messages.length - this.firstAfter(this.reads.get(member) ?? 0);
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
