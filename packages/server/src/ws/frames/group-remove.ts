import { sessionFrame } from './context.js';

/** `group.remove` → `group` (admins): the member is out and hears one last `group.changed`. */
export const groupRemove = sessionFrame<'group.remove'>(async (frame, ctx) => {
  const group = await ctx.services.groups.remove(ctx.session.userId, frame.room, frame.userId);
  ctx.reply({ type: 'group', id: frame.id, group });
});
