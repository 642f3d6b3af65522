import { sessionFrame } from './context.js';

/** `group.leave` → `group.left`: any member leaves; the last one out deletes the group. */
export const groupLeave = sessionFrame<'group.leave'>(async (frame, ctx) => {
  await ctx.services.groups.leave(ctx.session.userId, frame.room);
  ctx.reply({ type: 'group.left', id: frame.id, room: frame.room });
});
