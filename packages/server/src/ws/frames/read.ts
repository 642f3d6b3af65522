import { sessionFrame } from './context.js';

/** `read` → `read` (with the id): marks the room read up to `seq`; the event goes out via the bus. */
export const read = sessionFrame<'read'>(async (frame, ctx) => {
  const { userId } = ctx.session;
  const seq = await ctx.services.chat.read(userId, frame.room, frame.seq);
  ctx.reply({ type: 'read', id: frame.id, room: frame.room, userId, seq });
});
