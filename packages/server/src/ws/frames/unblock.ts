import { sessionFrame } from './context.js';

/** `unblock` → `unblocked`: lifts the sender's own block (idempotent). */
export const unblock = sessionFrame<'unblock'>(async (frame, ctx) => {
  await ctx.services.blocks.unblock(ctx.session.userId, frame.userId);
  ctx.reply({ type: 'unblocked', id: frame.id, userId: frame.userId });
});
