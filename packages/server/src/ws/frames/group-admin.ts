import { sessionFrame } from './context.js';

/** `group.admin` → `group` (admins): promote or demote a member. */
export const groupAdmin = sessionFrame<'group.admin'>(async (frame, ctx) => {
  const group = await ctx.services.groups.setAdmin(
    ctx.session.userId,
    frame.room,
    frame.userId,
    frame.admin,
  );
  ctx.reply({ type: 'group', id: frame.id, group });
});
