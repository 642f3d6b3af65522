import { sessionFrame } from './context.js';

/** `typing`: relayed to the peer by the chat service; no reply. */
export const typing = sessionFrame<'typing'>(async (frame, ctx) => {
  await ctx.services.chat.typing(ctx.session.userId, frame.room, frame.typing);
});
