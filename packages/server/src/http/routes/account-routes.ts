import { deleteAccountRequestSchema } from '@ephemeral-chat/protocol';
import type { AccountDeletion } from '../../services/moderation/account-deletion.js';
import { sessionCookie } from '../../transport/cookies.js';
import { parseJsonBody, parseWith } from '../parse.js';
import type { Route } from '../route.js';

/** The signed-in user's own account: deletion on request. */
export function accountRoutes(deletion: AccountDeletion, cookieSecure: boolean): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/account/delete',
      body: true,
      async handle(ctx) {
        const session = await ctx.authenticate();
        const { password } = parseWith(deleteAccountRequestSchema, parseJsonBody(ctx.req.body));
        await deletion.deleteOwn(session, password);
        const clear = sessionCookie('', 0, { secure: cookieSecure, crossSite: ctx.crossSite });
        return { status: 204, setCookie: clear };
      },
    },
  ];
}
