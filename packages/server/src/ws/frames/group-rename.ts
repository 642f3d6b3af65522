import { sessionFrame } from './context.js';

/** `group.rename` → `group` (admins). */
export const groupRename = sessionFrame<'group.rename'>(async (frame, ctx) => {
  const group = await ctx.services.groups.rename(ctx.session.userId, frame.room, frame.name);
  ctx.reply({ type: 'group', id: frame.id, group });
});
