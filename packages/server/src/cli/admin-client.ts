import {
  type AdminReportsQuery,
  type AdminReportsResponse,
  type AdminUserRequest,
  type AdminUserResponse,
  adminReportResponseSchema,
  adminReportsResponseSchema,
  adminUserResponseSchema,
  errorBodySchema,
  type Report,
} from '@ephemeral-chat/protocol';
import type { z } from 'zod';

/** A failed admin call: the server's error code and message, or the transport's. */
export class AdminCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AdminCallError';
  }
}

/**
 * The admin HTTP API as functions, for the CLI (and scripts). Talks to a running server, so that
 * a suspension closes sockets on every node through that server's bus, whatever the engine.
 */
export class AdminClient {
  readonly #base: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  reports(q: Partial<AdminReportsQuery> = {}): Promise<AdminReportsResponse> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    const query = params.size > 0 ? `?${params}` : '';
    return this.#call('GET', `/api/admin/reports${query}`, undefined, adminReportsResponseSchema);
  }

  async resolve(reportId: string, resolution?: string): Promise<Report> {
    const body = { reportId, ...(resolution === undefined ? {} : { resolution }) };
    const res = await this.#call(
      'POST',
      '/api/admin/reports/resolve',
      body,
      adminReportResponseSchema,
    );
    return res.report;
  }

  suspend(who: AdminUserRequest): Promise<AdminUserResponse> {
    return this.#call('POST', '/api/admin/users/suspend', who, adminUserResponseSchema);
  }

  unsuspend(who: AdminUserRequest): Promise<AdminUserResponse> {
    return this.#call('POST', '/api/admin/users/unsuspend', who, adminUserResponseSchema);
  }

  async deleteUser(who: AdminUserRequest): Promise<void> {
    await this.#call('POST', '/api/admin/users/delete', who, undefined);
  }

  async #call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S | undefined,
  ): Promise<z.infer<S>> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new AdminCallError(
        'unreachable',
        `Cannot reach ${this.#base}: ${(err as Error).message}`,
      );
    }
    const text = await res.text();
    const json: unknown = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) {
      const parsed = errorBodySchema.safeParse(json);
      if (parsed.success) {
        throw new AdminCallError(parsed.data.error.code, parsed.data.error.message, res.status);
      }
      throw new AdminCallError('http_error', `HTTP ${res.status}`, res.status);
    }
    if (!schema) return undefined as z.infer<S>;
    return schema.parse(json);
  }
}
