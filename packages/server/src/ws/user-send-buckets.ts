import { TokenBucket } from './token-bucket.js';

/**
 * One `send` bucket per user with sockets on this node, shared by all of them: opening more
 * sockets does not multiply a user's send rate. Kept while the user has a socket here.
 */
export class UserSendBuckets {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
  ) {}

  /** The user's bucket, created on their first socket. */
  acquire(userId: string): TokenBucket {
    let bucket = this.#buckets.get(userId);
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerS, this.burst);
      this.#buckets.set(userId, bucket);
    }
    return bucket;
  }

  /** Forgets the user's bucket: call when their last socket on this node closes. */
  release(userId: string): void {
    this.#buckets.delete(userId);
  }

  get size(): number {
    return this.#buckets.size;
  }
}
