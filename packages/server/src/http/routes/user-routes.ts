import { type SearchResponse, searchQuerySchema } from '@ephemeral-chat/protocol';
import type { AccountService } from '../../services/accounts.js';
import { parseWith } from '../parse.js';
import type { Route } from '../route.js';

export function userRoutes(accounts: AccountService): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/users/search',
      async handle(ctx) {
        const session = await ctx.authenticate();
        const { q } = parseWith(searchQuerySchema, Object.fromEntries(ctx.req.query));
        const body: SearchResponse = { users: await accounts.search(q, session.userId) };
        return { status: 200, body };
      },
    },
  ];
}
