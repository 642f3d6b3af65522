import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type AdminReportsResponse,
  adminReportsQuerySchema,
  adminUserRequestSchema,
  resolveReportRequestSchema,
} from '@ephemeral-chat/protocol';
import { AppError } from '../../errors/app-error.js';
import type { AdminService } from '../../services/moderation/admin-service.js';
import { parseJsonBody, parseWith } from '../parse.js';
import type { HttpResult } from '../respond.js';
import type { Route, RouteContext } from '../route.js';

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed first, so the
 * comparison takes equal-length inputs and its time says nothing about the token's length.
 */
export function adminGuard(token: string): (authorization: string | undefined) => void {
  return bearerGuard(
    token,
    () => new AppError('admin_token_invalid', 'Send Authorization: Bearer <ADMIN_TOKEN>.'),
  );
}

/** The same check for any operator token (ADMIN_TOKEN, METRICS_TOKEN); `refused` is thrown. */
export function bearerGuard(
  token: string,
  refused: () => AppError,
): (authorization: string | undefined) => void {
  const expected = digest(token);
  return (authorization) => {
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), expected)) throw refused();
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * The operators' API under `/api/admin/`. Mounted only when ADMIN_TOKEN is set: without it these
 * paths answer 404 like any unknown path. Bearer only, never a cookie, so no browser can be made
 * to call it (no CSRF).
 */
export function adminRoutes(admin: AdminService, token: string | undefined): Route[] {
  if (token === undefined) return [];
  const guard = adminGuard(token);
  const post = (path: string, act: (body: unknown) => Promise<HttpResult>): Route => ({
    method: 'POST',
    path,
    body: true,
    async handle(ctx: RouteContext) {
      guard(ctx.req.authorization);
      return act(parseJsonBody(ctx.req.body));
    },
  });
  return [
    {
      method: 'GET',
      path: '/api/admin/reports',
      async handle(ctx) {
        guard(ctx.req.authorization);
        const query = parseWith(adminReportsQuerySchema, Object.fromEntries(ctx.req.query));
        const body: AdminReportsResponse = await admin.listReports(query);
        return { status: 200, body };
      },
    },
    post('/api/admin/reports/resolve', async (body) => {
      const { reportId, resolution } = parseWith(resolveReportRequestSchema, body);
      return { status: 200, body: { report: await admin.resolveReport(reportId, resolution) } };
    }),
    post('/api/admin/users/suspend', async (body) => ({
      status: 200,
      body: await admin.suspend(parseWith(adminUserRequestSchema, body)),
    })),
    post('/api/admin/users/unsuspend', async (body) => ({
      status: 200,
      body: await admin.unsuspend(parseWith(adminUserRequestSchema, body)),
    })),
    post('/api/admin/users/delete', async (body) => {
      await admin.deleteUser(parseWith(adminUserRequestSchema, body));
      return { status: 204 };
    }),
  ];
}
