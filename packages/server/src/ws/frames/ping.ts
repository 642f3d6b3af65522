import { publicFrame } from './context.js';

/** `ping` → `pong` with the server's clock; answered before authentication too. */
export const ping = publicFrame<'ping'>((frame, ctx) => {
  ctx.reply({ type: 'pong', id: frame.id, serverTime: Date.now() });
});
