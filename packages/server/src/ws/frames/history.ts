import { sessionFrame } from './context.js';

/** `history` → `history`: one bounded page before `before`. */
export const history = sessionFrame<'history'>(async (frame, ctx) => {
  const page = await ctx.services.chat.history(
    ctx.session.userId,
    frame.room,
    frame.before,
    frame.limit,
  );
  ctx.reply({ type: 'history', id: frame.id, room: frame.room, ...page });
});
