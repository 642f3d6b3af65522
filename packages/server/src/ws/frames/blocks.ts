import { sessionFrame } from './context.js';

/** `blocks` → `blocks`: the users the sender blocks (bounded by the cap). */
export const blocks = sessionFrame<'blocks'>(async (frame, ctx) => {
  const users = await ctx.services.blocks.list(ctx.session.userId);
  ctx.reply({ type: 'blocks', id: frame.id, users });
});
