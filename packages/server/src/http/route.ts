import type { ActiveSession } from '../services/sessions.js';
import type { RequestContext } from './request.js';
import type { HttpResult } from './respond.js';

export interface RouteContext {
  req: RequestContext;
  /** The caller's session, or throws `auth_required` / `session_invalid` / `origin_not_allowed`. */
  authenticate(): Promise<ActiveSession>;
  /** The request came from an allowed origin other than the server's own. */
  crossSite: boolean;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** The route takes a JSON body (capped, `Content-Type: application/json` required). */
  body?: boolean;
  /** Public, credential-free content (static files): served whatever the request's Origin. */
  anyOrigin?: boolean;
  handle(ctx: RouteContext): Promise<HttpResult>;
}
