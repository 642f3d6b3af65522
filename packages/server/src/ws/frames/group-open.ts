import { sessionFrame } from './context.js';

/** `group.open` → `group.opened`: a group of the sender's, its newest messages and receipts. */
export const groupOpen = sessionFrame<'group.open'>(async (frame, ctx) => {
  const opened = await ctx.services.chat.openGroup(ctx.session.userId, frame.room);
  ctx.reply({ type: 'group.opened', id: frame.id, ...opened });
});
