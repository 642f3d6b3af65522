import { sessionFrame } from './context.js';

/** `block` → `blocked`: sent once the block holds on every node (see BlockService). */
export const block = sessionFrame<'block'>(async (frame, ctx) => {
  await ctx.services.blocks.block(ctx.session.userId, frame.userId);
  ctx.reply({ type: 'blocked', id: frame.id, userId: frame.userId });
});
