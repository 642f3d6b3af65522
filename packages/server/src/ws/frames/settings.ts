import { sessionFrame } from './context.js';

/** `settings` → `settings` (with the id): the chat's new defaults; both members get the event. */
export const settings = sessionFrame<'settings'>(async (frame, ctx) => {
  const change = await ctx.services.chat.settings(ctx.session.userId, frame.room, {
    ttl: frame.ttl,
    burn: frame.burn,
  });
  ctx.reply({ type: 'settings', id: frame.id, ...change });
});
