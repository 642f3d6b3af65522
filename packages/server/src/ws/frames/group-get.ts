import { sessionFrame } from './context.js';

/** `group.get` → `group`: a group of the sender's, with its members. */
export const groupGet = sessionFrame<'group.get'>(async (frame, ctx) => {
  const group = await ctx.services.groups.get(ctx.session.userId, frame.room);
  ctx.reply({ type: 'group', id: frame.id, group });
});
