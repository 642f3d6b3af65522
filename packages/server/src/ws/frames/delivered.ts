import { sessionFrame } from './context.js';

/** `delivered`: the client received the room up to `seq`; the peer hears of it. No reply. */
export const delivered = sessionFrame<'delivered'>(async (frame, ctx) => {
  await ctx.services.chat.delivered(ctx.session.userId, frame.room, frame.seq);
});
