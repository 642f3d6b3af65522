import { blockedMessage, blocksMax, type PublicUser } from '@ephemeral-chat/protocol';
import { blocksTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import { AppError } from '../errors/app-error.js';
import type { BlockStore } from '../stores/blocks/block-store.js';
import { BlockCache, type BlockCacheOptions, pairKey } from './block-cache.js';

export interface BlockServiceOptions {
  /** Users one user may block, at most. @default blocksMax (1000) */
  maxBlocks?: number;
  cache?: BlockCacheOptions;
  /** A notice could not be published (the change itself is stored). */
  onPublishError?(err: unknown): void;
}

/** A node-to-node notice on the `blocks` topic: the pair's block state changed. */
export interface BlockChangedNotice {
  $: 'block_changed';
  a: string;
  b: string;
}

/** What the chat rules ask of blocks (ChatService depends on this much). */
export interface BlockRules {
  /** True when either user blocks the other. */
  isBlocked(a: string, b: string): Promise<boolean>;
  /** Throws `blocked` when either user blocks the other. */
  assertNotBlocked(a: string, b: string): Promise<void>;
  /** Runs `work` (a send) after checking the pair, counted in flight until it settles. */
  guard<T>(a: string, b: string, work: () => Promise<T>): Promise<T>;
}

/** The `blocked` error: the same whichever side blocked. */
export function blockedError(): AppError {
  return new AppError('blocked', blockedMessage);
}

/**
 * The block rules: who may block whom, the cap, and the per-node answer to "is this pair
 * blocked", cached and invalidated on every node through the `blocks` notice. A block resolves
 * only after (1) it is stored, (2) this node's cache dropped the pair, (3) Redis took the notice
 * (it has then written it to every node's subscription) and (4) this node's sends of the pair
 * that were checked before the change have settled: so once the `blocked` reply is out, no send
 * checked on this node afterwards passes, and none checked before is still being stored.
 */
export class BlockService implements BlockRules {
  readonly #cache: BlockCache;
  readonly #max: number;
  readonly #inFlight = new Map<string, Set<Promise<unknown>>>();
  readonly #listeners: ((a: string, b: string) => void)[] = [];

  constructor(
    private readonly store: BlockStore,
    private readonly bus: Pick<Bus, 'publish' | 'subscribe' | 'onResubscribed'>,
    private readonly options: BlockServiceOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.#cache = new BlockCache(options.cache, now);
    this.#max = options.maxBlocks ?? blocksMax;
  }

  /** Subscribes this node to the `blocks` notices; resolves once the subscription holds. */
  async start(): Promise<void> {
    this.bus.onResubscribed(() => this.#cache.clear());
    await this.bus.subscribe(blocksTopic(), (payload) => {
      const notice = JSON.parse(payload) as BlockChangedNotice;
      if (notice.$ === 'block_changed') this.#changed(notice.a, notice.b);
    });
  }

  /** Called on every node for each pair whose block state changed (drops presence watches). */
  onChange(listener: (a: string, b: string) => void): void {
    this.#listeners.push(listener);
  }

  async block(userId: string, targetId: string): Promise<void> {
    const result = await this.store.block(userId, targetId, this.now(), this.#max);
    if ('refused' in result) {
      if (result.refused === 'self') {
        throw new AppError('validation_failed', 'You cannot block yourself.');
      }
      if (result.refused === 'user_not_found') {
        throw new AppError('user_not_found', 'No user has that id.');
      }
      throw new AppError('validation_failed', `You can block at most ${this.#max} users.`);
    }
    await this.#announce(userId, targetId);
  }

  async unblock(userId: string, targetId: string): Promise<void> {
    if (userId === targetId) throw new AppError('validation_failed', 'You cannot block yourself.');
    if (await this.store.unblock(userId, targetId)) await this.#announce(userId, targetId);
  }

  /** The users `userId` blocks, ordered by username (at most the cap, so one bounded reply). */
  list(userId: string): Promise<PublicUser[]> {
    return this.store.listFor(userId, this.#max);
  }

  isBlocked(a: string, b: string): Promise<boolean> {
    if (a === b) return Promise.resolve(false);
    const key = pairKey(a, b);
    const hit = this.#cache.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    return this.#cache.get(key, () => this.store.between(a, b));
  }

  async assertNotBlocked(a: string, b: string): Promise<void> {
    if (await this.isBlocked(a, b)) throw blockedError();
  }

  guard<T>(a: string, b: string, work: () => Promise<T>): Promise<T> {
    const key = pairKey(a, b);
    // Counted from before the check: a block that commits meanwhile waits for this send.
    const run = this.assertNotBlocked(a, b).then(work);
    const set = this.#inFlight.get(key) ?? new Set<Promise<unknown>>();
    this.#inFlight.set(key, set);
    set.add(run);
    const done = () => {
      set.delete(run);
      if (set.size === 0 && this.#inFlight.get(key) === set) this.#inFlight.delete(key);
    };
    run.then(done, done);
    return run;
  }

  /** Local first, then the notice, then this node's sends of the pair checked before it. */
  async #announce(a: string, b: string): Promise<void> {
    this.#changed(a, b);
    try {
      const notice: BlockChangedNotice = { $: 'block_changed', a, b };
      await this.bus.publish(blocksTopic(), JSON.stringify(notice));
    } catch (err) {
      this.options.onPublishError?.(err);
    }
    const pending = this.#inFlight.get(pairKey(a, b));
    if (pending) await Promise.allSettled([...pending]);
  }

  #changed(a: string, b: string): void {
    this.#cache.invalidate(pairKey(a, b));
    for (const listener of this.#listeners) listener(a, b);
  }
}
