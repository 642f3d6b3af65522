import {
  type AuthResponse,
  limits,
  loginRequestSchema,
  type MeResponse,
  registerRequestSchema,
} from '@ephemeral-chat/protocol';
import type { AccountService, SignedIn } from '../../services/accounts.js';
import type { SessionService } from '../../services/sessions.js';
import { sessionCookie } from '../cookies.js';
import { parseJsonBody, parseWith } from '../parse.js';
import type { HttpResult } from '../respond.js';
import type { Route, RouteContext } from '../route.js';

export function authRoutes(
  accounts: AccountService,
  sessions: SessionService,
  cookieSecure: boolean,
): Route[] {
  const signedIn = (
    ctx: RouteContext,
    s: SignedIn,
    cookie: boolean,
    status: number,
  ): HttpResult => {
    const body: AuthResponse = { user: s.user, expiresAt: s.session.expiresAt };
    if (!cookie) return { status, body: { ...body, token: s.session.token } };
    const maxAge = Math.floor(limits.sessionTtlMs / 1000);
    const opts = { secure: cookieSecure, crossSite: ctx.crossSite };
    return { status, body, setCookie: sessionCookie(s.session.token, maxAge, opts) };
  };

  return [
    {
      method: 'POST',
      path: '/api/register',
      body: true,
      async handle(ctx) {
        const input = parseWith(registerRequestSchema, parseJsonBody(ctx.req.body));
        const result = await accounts.register(input, ctx.req.ip);
        return signedIn(ctx, result, input.cookie === true, 201);
      },
    },
    {
      method: 'POST',
      path: '/api/login',
      body: true,
      async handle(ctx) {
        const input = parseWith(loginRequestSchema, parseJsonBody(ctx.req.body));
        const result = await accounts.login(input, ctx.req.ip);
        return signedIn(ctx, result, input.cookie === true, 200);
      },
    },
    {
      method: 'POST',
      path: '/api/logout',
      async handle(ctx) {
        const session = await ctx.authenticate();
        await sessions.revoke(session);
        const clear = sessionCookie('', 0, { secure: cookieSecure, crossSite: ctx.crossSite });
        return { status: 204, setCookie: clear };
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      async handle(ctx) {
        const s = await ctx.authenticate();
        const body: MeResponse = {
          user: { id: s.userId, username: s.username },
          session: { expiresAt: s.expiresAt },
        };
        return { status: 200, body };
      },
    },
  ];
}
