import { sessionFrame } from './context.js';

/** `groups` → `groups`: one page of the sender's groups (summaries), ordered by room id. */
export const groups = sessionFrame<'groups'>(async (frame, ctx) => {
  const page = await ctx.services.groups.list(ctx.session.userId, frame.after);
  ctx.reply({ type: 'groups', id: frame.id, ...page });
});
