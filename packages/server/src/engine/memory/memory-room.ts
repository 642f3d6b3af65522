import type { Message } from '@ephemeral-chat/protocol';

/** One room's messages in this process, ascending by seq (they are appended in seq order). */
export class MemoryRoom {
  /** The last seq handed out; kept while the room object lives so a restart never goes back. */
  seq = 0;
  readonly messages: Message[] = [];
  /** `from` + `\n` + clientMsgId → message, for idempotent retries. */
  readonly #byClient = new Map<string, Message>();
  /** Earliest expiresAt held: a prune scans the room only once that instant has passed. */
  #nextExpiry = Number.POSITIVE_INFINITY;

  add(message: Message): void {
    this.seq = message.seq;
    this.messages.push(message);
    this.#byClient.set(clientKey(message.from, message.clientMsgId), message);
    this.#nextExpiry = Math.min(this.#nextExpiry, message.expiresAt);
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

function clientKey(from: string, clientMsgId: string): string {
  return `${from}\n${clientMsgId}`;
}
