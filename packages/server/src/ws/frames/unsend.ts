import { sessionFrame } from './context.js';

/** `unsend` → `unsent` (with the id): the sender's message is gone; both members get the event. */
export const unsend = sessionFrame<'unsend'>(async (frame, ctx) => {
  const done = await ctx.services.chat.unsend(ctx.session.userId, frame.room, frame.seq);
  ctx.reply({ type: 'unsent', id: frame.id, ...done });
});
