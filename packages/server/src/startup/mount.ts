import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerOptions } from '../config/server-options.js';
import { mountHttp } from '../http/http-app.js';
import { accountRoutes } from '../http/routes/account-routes.js';
import { adminRoutes } from '../http/routes/admin-routes.js';
import { authRoutes } from '../http/routes/auth-routes.js';
import { healthRoutes } from '../http/routes/health-routes.js';
import { hostSessionRoutes, withoutLocalAccounts } from '../http/routes/host-session-routes.js';
import { metricsRoutes } from '../http/routes/metrics-routes.js';
import { staticRoutes } from '../http/routes/static-routes.js';
import { userRoutes } from '../http/routes/user-routes.js';
import type { Logger } from '../logger.js';
import { OriginPolicy } from '../transport/origin-policy.js';
import { App, type TemplatedApp } from '../uws.js';
import { mountWs } from '../ws/ws-app.js';
import type { Composed } from './compose.js';

/** The uWS app with `/ws` and every HTTP route mounted on the composed layers. */
export function mountApp(parts: Composed, options: ServerOptions, logger: Logger): TemplatedApp {
  const { http, ws } = options;
  const origins = new OriginPolicy(http.allowedOrigins);
  const app = App();
  mountWs(app, parts.gateway, { ...ws, origins, trustProxy: http.trustProxy, logger });
  mountHttp(app, {
    routes: [
      ...(options.hostAuth.localAccounts
        ? authRoutes(parts.accounts, parts.sessions, http.cookieSecure)
        : withoutLocalAccounts(authRoutes(parts.accounts, parts.sessions, http.cookieSecure))),
      ...hostSessionRoutes(parts.hostSignIn, http.cookieSecure),
      ...userRoutes(parts.accounts),
      ...accountRoutes(parts.deletion, http.cookieSecure),
      ...adminRoutes(parts.admin, options.moderation.adminToken),
      ...healthRoutes(parts.engine, parts.users),
      ...(parts.metrics ? metricsRoutes(parts.metrics, options.metricsToken) : []),
      ...staticRoutes({
        widgetDir: resolve(
          http.widgetDir ?? fileURLToPath(new URL('../../../widget/dist', import.meta.url)),
        ),
        demoDir: resolve(
          http.demoDir ?? fileURLToPath(new URL('../../../../examples/demo', import.meta.url)),
        ),
      }),
    ],
    origins,
    sessions: parts.sessions,
    logger,
    maxBodyBytes: http.maxBodyBytes,
    trustProxy: http.trustProxy,
  });
  return app;
}
