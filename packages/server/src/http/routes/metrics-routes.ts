import { AppError } from '../../errors/app-error.js';
import type { ServerMetrics } from '../../metrics/server-metrics.js';
import type { Route } from '../route.js';
import { bearerGuard } from './admin-routes.js';

/**
 * `GET /metrics` in Prometheus' text format. Mounted only when METRICS_TOKEN is set: without it
 * the path answers 404 like any unknown path (METRICS_PORT alone serves it on its own listener). Bearer only, compared in constant time; a wrong
 * or missing token answers 401 `admin_token_invalid` (the operators' token error).
 */
export function metricsRoutes(metrics: ServerMetrics, token: string | undefined): Route[] {
  if (token === undefined) return [];
  const guard = bearerGuard(
    token,
    () => new AppError('admin_token_invalid', 'Send Authorization: Bearer <METRICS_TOKEN>.'),
  );
  return [
    {
      method: 'GET',
      path: '/metrics',
      async handle(ctx) {
        guard(ctx.req.authorization);
        const text = await metrics.source();
        return {
          status: 200,
          raw: { data: Buffer.from(text, 'utf8'), contentType: metrics.registry.contentType },
        };
      },
    },
  ];
}
