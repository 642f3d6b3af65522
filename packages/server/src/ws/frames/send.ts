import { encodeAck } from '@ephemeral-chat/protocol';
import { rateLimited } from '../error-frames.js';
import { sessionFrame } from './context.js';

/** `send` → `ack` with the stored message, within the user's send rate. */
export const send = sessionFrame<'send'>(async (frame, ctx) => {
  const wait = ctx.data.sends.take();
  if (wait > 0) {
    ctx.reply(rateLimited(frame, wait));
    return;
  }
  // The stored JSON is forwarded as is: no parse and re-serialize on the hottest path.
  const { json } = await ctx.services.chat.send(ctx.session.userId, frame);
  ctx.sendRaw(encodeAck(frame.id, json));
});
