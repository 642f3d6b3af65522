import fc from 'fast-check';
import { deepJson, hostileValue, hugeNumber, invalidUtf8, oddString } from './hostile.js';
import { obj, Raw, toJson } from './raw-json.js';

/** One HTTP request to send, and the class it was drawn from. */
export interface RequestCase {
  label: string;
  method: string;
  path: string;
  contentType: string | undefined;
  body: Uint8Array | undefined;
  /** `live`: a fresh session of a user of its own; `garbage`: an unknown token. */
  token: 'live' | 'garbage' | 'none';
}

const noIds = { next: () => 1, nextBig: () => 2 ** 31 };
const json = (v: unknown) => Buffer.from(toJson(v, noIds));
const max = 16 * 1024;
const username = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_]{3,32}$/), fc.constant('fuzz_known'));
const password = fc.oneof(
  fc.constant('correct horse battery staple'),
  fc.string({ unit: 'grapheme', minLength: 8, maxLength: 80 }),
);

/** register and login bodies: well-formed, one field wrong, or hostile. */
const credentials = fc
  .tuple(username, password, fc.option(fc.boolean(), { nil: undefined }))
  .map(
    ([u, p, c]) =>
      [['username', u], ['password', p], ...(c === undefined ? [] : [['cookie', c]])] as [
        string,
        unknown,
      ][],
  );
const body = fc.oneof(
  { weight: 3, arbitrary: credentials.map((e) => ({ kind: 'well-formed', body: json(obj(e)) })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        credentials,
        fc.nat(),
        fc.oneof(hostileValue, deepJson, hugeNumber, oddString),
        fc.boolean(),
      )
      .map(([e, i, v, extra]) => {
        if (extra) e.push(['extra', v]);
        else e[i % e.length] = [e[i % e.length]?.[0] ?? 'username', v];
        return { kind: 'near-miss', body: json(obj(e)) };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(credentials, invalidUtf8).map(([e, bad]) => {
      const text = json(obj(e)).toString();
      const cut = text.indexOf('"password":"') + 12;
      return {
        kind: 'invalid UTF-8',
        body: Buffer.concat([Buffer.from(text.slice(0, cut)), bad, Buffer.from(text.slice(cut))]),
      };
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 300 })
      .map((b) => ({ kind: 'binary', body: Buffer.from(b) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('', '{', 'null', '[]', '"x"', '1e400')
      .map((t) => ({ kind: 'not JSON object', body: Buffer.from(t) })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: max + 1, max: 4 * max }).map((n) => ({
      kind: 'oversize',
      body: Buffer.concat([
        json(
          obj([
            ['username', 'abc'],
            ['password', new Raw('"x"')],
          ]),
        ),
        Buffer.alloc(n, 0x20),
      ]),
    })),
  },
);
const contentType = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      '',
    ),
  },
);
const token = fc.constantFrom<RequestCase['token']>('live', 'garbage', 'none');
const query = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_]{1,32}$/).map(encodeURIComponent),
  fc.constantFrom('', '%ff', '%', '%00', 'a&q=b', `${'a'.repeat(40)}`, '%E2%80%AE', 'a%20b'),
);

export const requestArb: fc.Arbitrary<RequestCase> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('/api/register', '/api/login'), body, contentType)
      .map(([path, b, ct]) => ({
        label: `POST ${path} ${b.kind}`,
        method: 'POST',
        path,
        contentType: ct,
        body: b.body,
        token: 'none' as const,
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('/api/me', '/api/session', '/api/logout'), token)
      .map(([path, t]) => ({
        label: `${path === '/api/logout' ? 'POST' : 'GET'} ${path} ${t} token`,
        method: path === '/api/logout' ? 'POST' : 'GET',
        path,
        contentType: undefined,
        body: undefined,
        token: t,
      })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(query, token).map(([q, t]) => ({
      label: `GET search ${t} token`,
      method: 'GET',
      path: `/api/users/search?q=${q}`,
      contentType: undefined,
      body: undefined,
      token: t,
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'HEAD',
          'OPTIONS',
          'PUT',
          'DELETE',
          'PATCH',
          'TRACE',
          'PROPFIND',
          'FOO',
          'GET',
          'POST',
        ),
        fc.constantFrom(
          '/healthz',
          '/readyz',
          '/api/me',
          '/api/session',
          '/api/register',
          '/api/logout',
          '/api/nope',
          '/%ff',
          '/api/users/search?q=ab',
        ),
      )
      .map(([method, path]) => ({
        label: `${method} method on ${path.startsWith('/api/nope') || path.startsWith('/%') ? 'an unknown path' : 'a route'}`,
        method,
        path,
        contentType: undefined,
        body: undefined,
        token: 'none' as const,
      })),
  },
);
