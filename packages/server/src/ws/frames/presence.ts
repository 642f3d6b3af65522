import { sessionFrame } from './context.js';

/**
 * `presence` → `presence`: replaces the socket's watch list, answers who of it is online. A user
 * across a block is left out of the watch (no events) and never answered online.
 */
export const presence = sessionFrame<'presence'>(async (frame, ctx) => {
  const me = ctx.session.userId;
  const blocked = await Promise.all(
    frame.userIds.map((id) => ctx.services.blocks.isBlocked(me, id)),
  );
  const visible = frame.userIds.filter((_, i) => !blocked[i]);
  const online = await ctx.services.watches.only(ctx.ws, visible);
  ctx.reply({ type: 'presence', id: frame.id, online });
});
