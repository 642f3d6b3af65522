/**
 * Users one user may block, at most (`block` past it answers `validation_failed`). Kept out of
 * `limits`, which the SDK bundles whole.
 */
export const blocksMax = 1000;

/** The `blocked` error's message: the same whichever side blocked, so it reveals no more than that. */
export const blockedMessage = "You can't message this user.";
