import { AppError, toAppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import type { SessionService } from '../services/sessions.js';
import type { OriginPolicy } from '../transport/origin-policy.js';
import type { HttpResponse, TemplatedApp } from '../uws.js';
import { authenticateRequest } from './authenticate.js';
import { corsHeaders, preflightHeaders } from './cors.js';
import { readBody } from './read-body.js';
import { type RequestContext, snapshotRequest } from './request.js';
import { errorResult, type HttpResult, writeResult } from './respond.js';
import type { Route } from './route.js';

export interface HttpAppOptions {
  routes: Route[];
  origins: OriginPolicy;
  sessions: SessionService;
  logger: Logger;
  maxBodyBytes: number;
  trustProxy: boolean;
}

/**
 * One catch-all uWS handler that dispatches by path then method, so unknown paths answer 404 and
 * known paths with another method 405, both as JSON. uWS aborts the process if an async handler
 * writes after the client went away, so every request registers onAborted first and every
 * write checks it.
 */
export function mountHttp(app: TemplatedApp, options: HttpAppOptions): void {
  const byPath = new Map<string, Map<string, Route>>();
  for (const route of options.routes) {
    const methods = byPath.get(route.path) ?? new Map<string, Route>();
    methods.set(route.method, route);
    byPath.set(route.path, methods);
  }

  app.any('/*', (res, req) => {
    const ctx = snapshotRequest(res, req, options.trustProxy);
    const state = { aborted: false };
    res.onAborted(() => {
      state.aborted = true;
    });
    void handle(res, ctx, state).catch((err: unknown) => {
      options.logger.error({ err }, 'unhandled error writing a response');
    });
  });

  async function handle(res: HttpResponse, ctx: RequestContext, state: { aborted: boolean }) {
    const kind = options.origins.classify(ctx.origin, ctx.host);
    const cors = kind === 'cross' && ctx.origin ? corsHeaders(ctx.origin) : {};
    // HEAD is GET without the body (RFC 9110 §9.3.2); no HEAD answer carries one, errors included.
    const head = ctx.method === 'HEAD';
    const out = head ? bodiless(res) : res;
    const send = (result: HttpResult, close = false) => {
      if (!state.aborted) writeResult(out, result, cors, close);
    };
    const methods = byPath.get(ctx.path);
    const method = head && methods?.has('GET') ? 'GET' : ctx.method;
    try {
      const publicGet = method === 'GET' && methods?.get('GET')?.anyOrigin === true;
      if (kind === 'denied' && !publicGet) {
        throw new AppError('origin_not_allowed', `Origin ${ctx.origin} is not allowed here.`);
      }
      if (!methods) throw new AppError('not_found', `No route ${ctx.path}.`);
      const allow = [...methods.keys()];
      if (methods.has('GET')) allow.push('HEAD');
      if (ctx.method === 'OPTIONS') {
        const headers = kind === 'cross' ? preflightHeaders(allow) : {};
        send({ status: 204, headers: { ...headers, Allow: [...allow, 'OPTIONS'].join(', ') } });
        return;
      }
      const route = methods.get(method);
      if (!route) {
        const err = new AppError('method_not_allowed', `${ctx.path} accepts ${allow.join(', ')}.`);
        send({ ...errorResult(err), headers: { Allow: allow.join(', ') } });
        return;
      }
      if (route.body) ctx.body = await readJsonBody(res, ctx, options.maxBodyBytes);
      const result = await route.handle({
        req: ctx,
        crossSite: kind === 'cross',
        authenticate: () => authenticateRequest(ctx, options.sessions, kind !== 'none'),
      });
      send(result);
    } catch (thrown) {
      const err = toAppError(thrown);
      if (err.status >= 500) {
        options.logger.error({ err: err.cause ?? err, path: ctx.path }, 'request failed');
      }
      // After an over-size body the rest is still in flight: close rather than drain it.
      send(errorResult(err), err.code === 'payload_too_large');
    }
  }
}

function readJsonBody(res: HttpResponse, ctx: RequestContext, max: number): Promise<Buffer> {
  const type = ctx.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError(
      'unsupported_media_type',
      'Send the body as Content-Type: application/json.',
    );
  }
  if (ctx.contentLength !== undefined && ctx.contentLength > max) {
    throw new AppError('payload_too_large', `The body exceeds ${max} bytes.`);
  }
  return readBody(res, max);
}

type Body = NonNullable<Parameters<HttpResponse['end']>[0]>;

/**
 * The same response, but `end` sends only the headers, with the Content-Length the body would have
 * had: `writeResult` stays the one place that shapes a response.
 */

function bodiless(res: HttpResponse): HttpResponse {
  return new Proxy(res, {
    get(target, prop) {
      if (prop === 'end') {
        return (body?: Body, close?: boolean) =>
          // Inside `cork` uWS does not close here, even on `Connection: close`: the client,
          // which knows a HEAD answer ends with its headers, closes when it wants.
          target.endWithoutBody(body === undefined ? undefined : byteLength(body), close);
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function byteLength(body: Body): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}
