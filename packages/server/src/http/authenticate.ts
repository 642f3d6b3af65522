import { AppError } from '../errors/app-error.js';
import type { ActiveSession, SessionService } from '../services/sessions.js';
import { readCookie, SESSION_COOKIE } from '../transport/cookies.js';
import type { RequestContext } from './request.js';

/**
 * Bearer token first (apps, SDK), else the HttpOnly cookie (the browser widget). A cookie rides
 * along on any request the browser makes, so a state-changing request that relies on it must
 * carry an allowed Origin (CSRF defence); bearer tokens are never sent implicitly.
 */
export async function authenticateRequest(
  req: RequestContext,
  sessions: SessionService,
  originAllowed: boolean,
): Promise<ActiveSession> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
  if (bearer) return sessions.authenticate(bearer);
  const cookie = readCookie(req.cookie, SESSION_COOKIE);
  if (!cookie) throw new AppError('auth_required', 'Sign in first.');
  if (req.method !== 'GET' && !originAllowed) {
    throw new AppError(
      'origin_not_allowed',
      'A cookie-authenticated request must come from an allowed Origin.',
    );
  }
  return sessions.authenticate(cookie);
}
