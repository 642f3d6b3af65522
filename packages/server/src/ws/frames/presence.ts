import { sessionFrame } from './context.js';

/** `presence` → `presence`: replaces the socket's watch list, answers who of it is online. */
export const presence = sessionFrame<'presence'>(async (frame, ctx) => {
  const online = await ctx.services.watches.only(ctx.ws, frame.userIds);
  ctx.reply({ type: 'presence', id: frame.id, online });
});
