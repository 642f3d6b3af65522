import { AppError } from '../../errors/app-error.js';
import { errorFrame } from '../error-frames.js';
import { publicFrame } from './context.js';

/** `auth` → `welcome`, or an error and a close (see Authenticator). Once per connection. */
export const auth = publicFrame<'auth'>(async (frame, ctx) => {
  if (ctx.data.session || ctx.data.authenticating) {
    const err = new AppError('validation_failed', 'This connection is already authenticated.');
    ctx.reply(errorFrame(err, frame.id));
    return;
  }
  if (frame.hostToken !== undefined) {
    await ctx.services.auth.authenticateHost(ctx.ws, frame.hostToken, frame.id);
    return;
  }
  // The schema admits exactly one of `token` and `hostToken`.
  await ctx.services.auth.authenticate(ctx.ws, frame.token ?? '', frame.id);
});
