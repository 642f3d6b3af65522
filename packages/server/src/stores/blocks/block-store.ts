import type { PublicUser } from '@ephemeral-chat/protocol';

/** Why a block was refused; nothing changed. `too_many`: the blocker is at the cap. */
export type BlockRefusal = { refused: 'self' | 'user_not_found' | 'too_many' };

/**
 * Permanent blocks: who blocks whom. A block is one row per direction; a pair is "blocked" when
 * a row exists either way. Block and unblock are idempotent. Throws `UnavailableError` when the
 * database cannot be reached.
 */
export interface BlockStore {
  /**
   * Records that `blockerId` blocks `blockedId`, in one transaction that checks the target exists
   * and the blocker's count stays within `max` (racing blocks cannot pass it). `created` is false
   * when the block was there already.
   */
  block(
    blockerId: string,
    blockedId: string,
    now: number,
    max: number,
  ): Promise<{ created: boolean } | BlockRefusal>;
  /** Lifts the block; true when there was one. */
  unblock(blockerId: string, blockedId: string): Promise<boolean>;
  /** True when either user blocks the other. */
  between(a: string, b: string): Promise<boolean>;
  /** The users `blockerId` blocks, ordered by username, `limit` at most. */
  listFor(blockerId: string, limit: number): Promise<PublicUser[]>;
}
