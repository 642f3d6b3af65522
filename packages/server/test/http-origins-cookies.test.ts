import { sessionResponseSchema } from '@ephemeral-chat/protocol';
import {
  goodPassword,
  newUsername,
  startTestServer,
  type TestServer,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const allowed = 'https://shop.example';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { ALLOWED_ORIGINS: `${allowed}, http://localhost:5173` } });
});
afterAll(() => server.close());

const cookieOf = (setCookie: string | null) => setCookie?.split(';')[0] ?? '';

describe('CORS and origins', () => {
  it('answers a preflight from an allowed origin with credentials allowed', async () => {
    const res = await fetch(`${server.url}/api/login`, {
      method: 'OPTIONS',
      headers: {
        origin: allowed,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('refuses a request from an origin not allowed, with 403 and no CORS headers', async () => {
    const res = await server.api('/api/login', {
      body: { username: 'someone', password: goodPassword },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('origin_not_allowed');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('treats the server’s own host as allowed without configuration', async () => {
    const res = await server.api('/healthz', { headers: { origin: server.url } });
    expect(res.status).toBe(200);
  });
});

describe('session cookie for the browser widget', () => {
  it('sets an HttpOnly partitioned cookie cross-site and leaves the token out of the body', async () => {
    const username = newUsername();
    const res = await server.api('/api/register', {
      body: { username, password: goodPassword, cookie: true },
      headers: { origin: allowed },
    });
    expect(res.status).toBe(201);
    expect(res.body.token).toBeUndefined();
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ec_session=[A-Za-z0-9_-]{43}; /);
    for (const attr of [
      'HttpOnly',
      'Secure',
      'SameSite=None',
      'Partitioned',
      'Path=/',
      'Max-Age=86400',
    ]) {
      expect(setCookie).toContain(attr);
    }
    expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('sets a SameSite=Lax cookie for the server’s own page', async () => {
    const res = await server.api('/api/register', {
      body: { username: newUsername(), password: goodPassword, cookie: true },
      headers: { origin: server.url },
    });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).not.toContain('Partitioned');
  });

  it('authenticates by cookie, and refuses a cookie-authenticated logout without an allowed Origin', async () => {
    const res = await server.api('/api/register', {
      body: { username: newUsername(), password: goodPassword, cookie: true },
      headers: { origin: allowed },
    });
    const cookie = cookieOf(res.headers.get('set-cookie'));
    expect((await server.api('/api/me', { headers: { cookie } })).status).toBe(200);

    const forged = await server.api('/api/logout', { method: 'POST', headers: { cookie } });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('origin_not_allowed');
    expect((await server.api('/api/me', { headers: { cookie } })).status).toBe(200);

    const out = await server.api('/api/logout', {
      method: 'POST',
      headers: { cookie, origin: allowed },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await server.api('/api/me', { headers: { cookie } });
    expect(after.body.error.code).toBe('session_invalid');
  });

  it('answers /api/session with 200 whether signed in or not, and clears a cookie whose session is gone', async () => {
    const none = await server.api('/api/session');
    expect(none.status).toBe(200);
    expect(sessionResponseSchema.parse(none.body)).toEqual({ user: null, session: null });
    expect(none.headers.get('set-cookie')).toBeNull();

    const username = newUsername();
    const res = await server.api('/api/register', {
      body: { username, password: goodPassword, cookie: true },
      headers: { origin: allowed },
    });
    const cookie = cookieOf(res.headers.get('set-cookie'));
    const inside = await server.api('/api/session', { headers: { cookie } });
    expect(inside.status).toBe(200);
    expect(sessionResponseSchema.parse(inside.body).user?.username).toBe(username);

    await server.api('/api/logout', { method: 'POST', headers: { cookie, origin: allowed } });
    const stale = await server.api('/api/session', { headers: { cookie } });
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual({ user: null, session: null });
    expect(stale.headers.get('set-cookie')).toContain('Max-Age=0');

    const refused = await server.api('/api/session', {
      headers: { cookie, origin: 'https://not-allowed.example' },
    });
    expect(refused.status).toBe(403);
  });
});
