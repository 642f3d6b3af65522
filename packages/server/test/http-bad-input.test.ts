import { connect } from 'node:net';
import { errorBodySchema, limits } from '@ephemeral-chat/protocol';
import {
  goodPassword,
  newUsername,
  startTestServer,
  type TestServer,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './helpers/raw-http.js';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const reg = await server.api('/api/register', {
    body: { username: newUsername(), password: goodPassword },
  });
  token = reg.body.token;
});
afterAll(() => server.close());

const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(errorBodySchema.parse(res.body).error.code).toBe(code);
};

describe.each(['/api/register', '/api/login'])('bad bodies to %s', (path) => {
  it.each([
    ['invalid JSON', '{"username":', 'invalid_json'],
    ['an empty body', '', 'invalid_json'],
    ['a JSON array', '[]', 'validation_failed'],
    ['a missing password', { username: 'someone' }, 'validation_failed'],
    ['a missing username', { password: goodPassword }, 'validation_failed'],
    [
      'an extra field',
      { username: 'someone', password: goodPassword, admin: true },
      'validation_failed',
    ],
    ['a number as username', { username: 12345, password: goodPassword }, 'validation_failed'],
    [
      'a bad username character',
      { username: 'bad-name!', password: goodPassword },
      'validation_failed',
    ],
    ['a too-short username', { username: 'ab', password: goodPassword }, 'validation_failed'],
    [
      'a too-long username',
      { username: 'a'.repeat(33), password: goodPassword },
      'validation_failed',
    ],
    [
      'a non-boolean cookie flag',
      { username: 'someone', password: goodPassword, cookie: 'yes' },
      'validation_failed',
    ],
  ])('answers %s with its code', async (_what, body, code) => {
    const res = await server.api(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, code);
  });

  it('answers an oversize body with 413', async () => {
    const body = JSON.stringify({
      username: 'someone',
      password: 'x'.repeat(limits.httpBodyMaxBytes),
    });
    expectError(await server.api(path, { body }), 413, 'payload_too_large');
  });

  it('answers a body that is not JSON by type with 415', async () => {
    const res = await server.api(path, {
      body: 'username=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(res, 415, 'unsupported_media_type');
  });

  it('answers GET with 405 and an Allow header', async () => {
    const res = await server.api(path);
    expectError(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('password rules at registration', () => {
  it.each([
    ['too short', 'short1!'],
    ['too long', 'p'.repeat(limits.passwordMaxLength + 1)],
  ])(
    'refuses a %s password with validation_failed and a detail on password',
    async (_what, password) => {
      const res = await server.api('/api/register', {
        body: { username: newUsername(), password },
      });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details[0].path).toBe('password');
    },
  );

  it('accepts a 64-character password', async () => {
    const res = await server.api('/api/register', {
      body: { username: newUsername(), password: `${'Lq9'.repeat(21)}x` },
    });
    expect(res.status).toBe(201);
  });
});

describe('authentication errors', () => {
  it.each([
    ['GET', '/api/me'],
    ['POST', '/api/logout'],
    ['GET', '/api/users/search?q=ab'],
  ])('%s %s without a token is 401 auth_required', async (method, path) => {
    expectError(await server.api(path, { method }), 401, 'auth_required');
  });

  it.each([
    ['GET', '/api/me'],
    ['POST', '/api/logout'],
    ['GET', '/api/users/search?q=ab'],
  ])('%s %s with an unknown token is 401 session_invalid', async (method, path) => {
    expectError(await server.api(path, { method, token: 'A'.repeat(43) }), 401, 'session_invalid');
  });
});

describe('search queries', () => {
  it.each([
    ['no q', ''],
    ['an empty q', '?q='],
    ['a bad character', '?q=a%25'],
    ['a too-long q', `?q=${'a'.repeat(33)}`],
    ['an extra parameter', '?q=ab&limit=5'],
  ])('answers %s with validation_failed', async (_what, query) => {
    expectError(await server.api(`/api/users/search${query}`, { token }), 400, 'validation_failed');
  });

  it('returns at most 20 results', async () => {
    const base = `many${process.pid}`.slice(0, 12);
    await Promise.all(
      Array.from({ length: 22 }, (_, i) =>
        server.api('/api/register', { body: { username: `${base}_${i}`, password: goodPassword } }),
      ),
    );
    const res = await server.api(`/api/users/search?q=${base}`, { token });
    expect(res.body.users).toHaveLength(20);
  });
});

describe('routing', () => {
  it('answers an unknown route with 404 JSON', async () => {
    expectError(await server.api('/api/nope'), 404, 'not_found');
    expectError(await server.api('/nope', { method: 'DELETE' }), 404, 'not_found');
  });

  it('sends security headers on every response', async () => {
    const res = await server.api('/api/nope');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toContain('application/json');
  });

  it('survives a client that aborts mid-body and keeps serving', async () => {
    const port = server.port;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"user',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
      socket.on('error', reject);
    });
    expect((await server.api('/healthz')).status).toBe(200);
  });
});

describe('HEAD on GET routes', () => {
  it.each(['/healthz', '/api/session'])(
    'answers HEAD %s like GET, with the same status and headers and no body',
    async (path) => {
      const get = await fetch(server.url + path);
      const getBody = Buffer.from(await get.arrayBuffer());
      const head = await rawRequest(server.port, [`HEAD ${path} HTTP/1.1`]);
      expect(head.status).toBe(get.status);
      expect(head.body.length).toBe(0);
      const headers = new Map(head.headers);
      expect(headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(headers.get('cache-control')).toBe(get.headers.get('cache-control'));
      expect(headers.get('content-length')).toBe(String(getBody.length));
    },
  );

  it('keeps the connection usable after a HEAD answer', async () => {
    expect((await fetch(`${server.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
    expect((await server.api('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('lists HEAD in Allow for GET routes and still refuses HEAD on POST-only routes', async () => {
    const del = await server.api('/healthz', { method: 'DELETE' });
    expectError(del, 405, 'method_not_allowed');
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${server.url}/api/login`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('POST');
  });
});

describe.each(['/api/register', '/api/login'])('hostile bodies to %s', (path) => {
  const post = (body: Buffer) =>
    rawRequest(server.port, [`POST ${path} HTTP/1.1`, 'Content-Type: application/json'], body);

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
  ])(
    'refuses invalid UTF-8 (%s) with invalid_json instead of decoding it to U+FFFD',
    async (_what, bytes) => {
      const body = Buffer.concat([
        Buffer.from('{"username":"someone","password":"pass'),
        Buffer.from(bytes),
        Buffer.from('word long enough"}'),
      ]);
      const res = await post(body);
      expect(res.status).toBe(400);
      const parsed = errorBodySchema.parse(JSON.parse(res.body.toString()));
      expect(parsed.error.code).toBe('invalid_json');
      expect(parsed.error.message).toBe('The body is not valid UTF-8.');
    },
  );

  it.each([
    ['deeply nested arrays', `{"username":${'['.repeat(8000)}${']'.repeat(8000)}}`],
    ['deeply nested objects', `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`],
    ['a huge number', `{"username":1e999999,"password":${'9'.repeat(10000)}}`],
  ])('answers %s with a 400 and keeps serving', async (_what, body) => {
    const res = await server.api(path, { body });
    expect(res.status).toBe(400);
    expect(['invalid_json', 'validation_failed']).toContain(res.body.error.code);
    expect((await server.api('/healthz')).status).toBe(200);
  });

  it('does not echo unbounded input in validation details', async () => {
    const fields: Record<string, number> = { username: 1, password: 1 };
    for (let i = 0; i < 1500; i++) fields[`k${i}`] = 1;
    fields['x'.repeat(2000)] = 1;
    const res = await server.api(path, { body: fields });
    expectError(res, 400, 'validation_failed');
    expect(JSON.stringify(res.body).length).toBeLessThan(2048);
  });
});
