import { type AuthResponse, hostSessionRequestSchema } from '@ephemeral-chat/protocol';
import { AppError } from '../../errors/app-error.js';
import type { HostSignIn } from '../../services/host-identity/host-sign-in.js';
import { sessionCookie } from '../../transport/cookies.js';
import { parseJsonBody, parseWith } from '../parse.js';
import type { Route } from '../route.js';

/**
 * `POST /api/host-session`: a host token for a session, answered as login answers (the token in
 * the body, or with `cookie: true` an HttpOnly cookie for the widget).
 */
export function hostSessionRoutes(hostSignIn: HostSignIn, cookieSecure: boolean): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/host-session',
      body: true,
      async handle(ctx) {
        const input = parseWith(hostSessionRequestSchema, parseJsonBody(ctx.req.body));
        const { user, session } = await hostSignIn.signIn(input.token);
        const body: AuthResponse = { user, expiresAt: session.expiresAt };
        if (input.cookie !== true) return { status: 200, body: { ...body, token: session.token } };
        // The cookie lives as long as the session, which ends with the host token.
        const maxAge = Math.max(1, Math.floor((session.expiresAt - Date.now()) / 1000));
        const opts = { secure: cookieSecure, crossSite: ctx.crossSite };
        return { status: 200, body, setCookie: sessionCookie(session.token, maxAge, opts) };
      },
    },
  ];
}

const localPaths = new Set(['/api/register', '/api/login']);

/**
 * With LOCAL_ACCOUNTS=false, registration and password sign-in answer `local_accounts_disabled`
 * (the routes stay, so a client learns why rather than getting a 404).
 */
export function withoutLocalAccounts(routes: Route[]): Route[] {
  return routes.map((r) =>
    localPaths.has(r.path)
      ? {
          ...r,
          handle: async () => {
            // Words for the site's visitors: the code's description names the setting.
            throw new AppError(
              'local_accounts_disabled',
              'Chat accounts are turned off here: sign in on this site instead.',
            );
          },
        }
      : r,
  );
}
