import { sessionFrame } from './context.js';

/** `chats` → `chats`: the user's chats with unexpired messages, newest first. */
export const chats = sessionFrame<'chats'>(async (frame, ctx) => {
  const list = await ctx.services.chat.chats(ctx.session.userId);
  ctx.reply({ type: 'chats', id: frame.id, ...list });
});
