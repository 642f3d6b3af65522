/** How long what the message seam keeps beside a room's messages lives (documented in docs/security.md). */

const DAY_MS = 86_400_000;

/**
 * Unseen-expired counts (and the rest of a room's read state) are kept this long after the room's
 * last message expired, so a member who comes back within a week still learns what they missed.
 */
export const UNSEEN_KEEP_MS = 7 * DAY_MS;

/**
 * A recipient's room-index entry outlives the room's messages by this much (a day more than the
 * read state, so a node may skip rewriting it for a day: see room-index.ts).
 */
export const RECIPIENT_INDEX_EXTRA_MS = UNSEEN_KEEP_MS + DAY_MS;
export const RECIPIENT_INDEX_LAG_MS = DAY_MS;

/** A chat's settings are kept this long after their last change. */
export const SETTINGS_KEEP_MS = 90 * DAY_MS;

/** Burns one read mark starts at most (bounded work per script; the caller marks again for more). */
export const BURNS_PER_MARK = 256;
