import { sessionFrame } from './context.js';

/** `group.add` → `group` (admins): members added by username, all or none. */
export const groupAdd = sessionFrame<'group.add'>(async (frame, ctx) => {
  const group = await ctx.services.groups.add(ctx.session.userId, frame.room, frame.usernames);
  ctx.reply({ type: 'group', id: frame.id, group });
});
