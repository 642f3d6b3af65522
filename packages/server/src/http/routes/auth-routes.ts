import {
  type AuthResponse,
  limits,
  loginRequestSchema,
  type MeResponse,
  registerRequestSchema,
  type SessionResponse,
} from '@ephemeral-chat/protocol';
import type { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import type { AccountService, SignedIn } from '../../services/accounts.js';
import type { ActiveSession, SessionService } from '../../services/sessions.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../../transport/cookies.js';
import { parseJsonBody, parseWith } from '../parse.js';
import type { HttpResult } from '../respond.js';
import type { Route, RouteContext } from '../route.js';

const meBody = (s: ActiveSession): MeResponse => ({
  user: { id: s.userId, username: s.username },
  session: { expiresAt: s.expiresAt },
});

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

  /** Register and login differ only in schema, action and status. */
  const signInRoute = <I extends { cookie?: boolean | undefined }>(
    path: string,
    schema: z.ZodType<I>,
    act: (input: I, ip: string) => Promise<SignedIn>,
    status: number,
  ): Route => ({
    method: 'POST',
    path,
    body: true,
    async handle(ctx) {
      const input = parseWith(schema, parseJsonBody(ctx.req.body));
      return signedIn(ctx, await act(input, ctx.req.ip), input.cookie === true, status);
    },
  });

  return [
    signInRoute('/api/register', registerRequestSchema, (i, ip) => accounts.register(i, ip), 201),
    signInRoute('/api/login', loginRequestSchema, (i, ip) => accounts.login(i, ip), 200),
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
        return { status: 200, body: meBody(await ctx.authenticate()) };
      },
    },
    {
      method: 'GET',
      path: '/api/session',
      async handle(ctx) {
        try {
          const body: SessionResponse = meBody(await ctx.authenticate());
          return { status: 200, body };
        } catch (err) {
          const signedOut =
            err instanceof AppError &&
            (err.code === 'auth_required' || err.code === 'session_invalid');
          if (!signedOut) throw err;
          const body: SessionResponse = { user: null, session: null };
          // A cookie whose session is gone is cleared, so the browser stops sending it.
          if (readCookie(ctx.req.cookie, SESSION_COOKIE) === undefined)
            return { status: 200, body };
          const clear = sessionCookie('', 0, { secure: cookieSecure, crossSite: ctx.crossSite });
          return { status: 200, body, setCookie: clear };
        }
      },
    },
  ];
}
