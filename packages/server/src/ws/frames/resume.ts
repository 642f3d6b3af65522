import { sessionFrame } from './context.js';

/** `resume` → `resumed`: one bounded page; the client continues from its last seq while `hasMore`. */
export const resume = sessionFrame<'resume'>(async (frame, ctx) => {
  const page = await ctx.services.chat.resume(ctx.session.userId, frame.room, frame.after);
  ctx.reply({ type: 'resumed', id: frame.id, room: frame.room, ...page });
});
