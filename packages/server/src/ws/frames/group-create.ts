import { sessionFrame } from './context.js';

/** `group.create` → `group`: a new group with the sender as its admin; every member gets `group.changed`. */
export const groupCreate = sessionFrame<'group.create'>(async (frame, ctx) => {
  const group = await ctx.services.groups.create(ctx.session.userId, frame.name, frame.usernames);
  ctx.reply({ type: 'group', id: frame.id, group });
});
