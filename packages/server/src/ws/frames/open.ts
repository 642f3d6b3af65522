import { sessionFrame } from './context.js';

/** `open` → `opened`: the 1:1 room with a user, its peer and latest page. */
export const open = sessionFrame<'open'>(async (frame, ctx) => {
  const opened = await ctx.services.chat.open(ctx.session.userId, frame.username);
  ctx.reply({ type: 'opened', id: frame.id, ...opened });
});
