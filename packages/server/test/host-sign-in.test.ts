import { authResponseSchema, errorBodySchema, serverFrameSchema } from '@ephemeral-chat/protocol';
import {
  goodPassword,
  isMessage,
  newUsername,
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';

const secret = 'host-auth test secret, at least 32 bytes long';
const issuer = 'https://host.test';
const audience = 'ephemeral-chat-test';
const hostEnv = {
  HOST_JWT_SECRET: secret,
  HOST_JWT_ISSUER: issuer,
  HOST_JWT_AUDIENCE: audience,
};

let subCounter = 0;
const newSub = () => `sub-${process.pid}-${++subCounter}-${Math.random().toString(36).slice(2)}`;

function hostToken(
  claims: { sub?: string; exp?: number; aud?: string; iss?: string; [k: string]: unknown } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: issuer, aud: audience, exp: now + 600, sub: newSub(), ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

describe.each([
  { name: 'SQLite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
])('sign-in with the host identity on $name', ({ postgres }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ postgres, env: hostEnv });
  });
  afterAll(() => server.close());

  it('makes an account on first sight and finds the same one again', async () => {
    const sub = newSub();
    const name = newUsername('Ada');
    const first = await server.api('/api/host-session', {
      body: { token: await hostToken({ sub, preferred_username: name }) },
    });
    expect(first.status).toBe(200);
    const a = authResponseSchema.parse(first.body);
    expect(a.user.username).toBe(name);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = authResponseSchema.parse(
      (await server.api('/api/host-session', { body: { token: await hostToken({ sub }) } })).body,
    );
    expect(again.user).toEqual(a.user);
    const me = await server.api('/api/me', { token: a.token });
    expect(me.body.user).toEqual(a.user);
  });

  it('ends the session no later than the host token', async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const res = await server.api('/api/host-session', {
      body: { token: await hostToken({ exp }) },
    });
    expect(authResponseSchema.parse(res.body).expiresAt).toBeLessThanOrEqual(exp * 1000);
  });

  it('derives a free username when the claimed one is taken or invalid', async () => {
    const local = await registerUser(server, 'Taken');
    const taken = await server.api('/api/host-session', {
      body: { token: await hostToken({ preferred_username: local.username.toUpperCase() }) },
    });
    expect(taken.status).toBe(200);
    expect(taken.body.user.username).not.toBe(local.username);
    expect(taken.body.user.username).toMatch(/^[A-Za-z0-9_]{3,32}$/);
    const odd = await server.api('/api/host-session', {
      body: { token: await hostToken({ name: 'Zoë Ünïcode — the 2nd' }) },
    });
    expect(odd.body.user.username).toMatch(/^Zoe_Unicode_the_2nd_\d+$/);
  });

  it('links one account when many first logins of the same host user race', async () => {
    const sub = newSub();
    const tokens = await Promise.all(
      Array.from({ length: 8 }, () => hostToken({ sub, preferred_username: newUsername('racer') })),
    );
    const answers = await Promise.all(
      tokens.map((token) => server.api('/api/host-session', { body: { token } })),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    const ids = new Set(answers.map((r) => r.body.user.id));
    expect(ids.size).toBe(1);
  });

  it('sets the session cookie and leaves the token out of the body when cookie is asked', async () => {
    const res = await server.api('/api/host-session', {
      body: { token: await hostToken(), cookie: true },
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toBeUndefined();
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  });

  it.each([
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 600 }, 'host_token_expired'],
    [
      'an exp more than 24 h ahead',
      { exp: Math.floor(Date.now() / 1000) + 90_000 },
      'host_token_lifetime',
    ],
    ['a wrong audience', { aud: 'someone-else' }, 'host_token_claims'],
    ['a wrong issuer', { iss: 'https://evil.test' }, 'host_token_claims'],
  ])('refuses %s with its documented code', async (_what, claims, code) => {
    const res = await server.api('/api/host-session', { body: { token: await hostToken(claims) } });
    expect(res.status).toBe(401);
    expect(errorBodySchema.parse(res.body).error.code).toBe(code);
  });

  it('refuses a forged signature and a body without a token', async () => {
    const forged = `${(await hostToken()).slice(0, -4)}AAAA`;
    const bad = await server.api('/api/host-session', { body: { token: forged } });
    expect(bad.body.error.code).toBe('host_token_invalid');
    const none = await server.api('/api/host-session', { body: {} });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('validation_failed');
  });

  it('authenticates a socket with a host token, and a host user chats with a local user', async () => {
    const local = await registerUser(server, 'local');
    const host = await TestSocket.connect(server.url);
    const welcome = await host.request({
      type: 'auth',
      hostToken: await hostToken({ preferred_username: newUsername('hosty') }),
    });
    if (welcome.type !== 'welcome') throw new Error(JSON.stringify(welcome));
    const l = await TestSocket.authed(server.url, local.token);
    const opened = await host.request({ type: 'open', username: local.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const ack = await host.request({
      type: 'send',
      room: opened.room,
      text: 'hi from the host',
      clientMsgId: 'h1',
    });
    expect(ack.type).toBe('ack');
    const live = await l.next(isMessage(opened.room));
    expect(live).toMatchObject({ message: { text: 'hi from the host', from: welcome.user.id } });
    // And back: the local user opens the host user by username.
    const back = await l.request({ type: 'open', username: welcome.user.username });
    expect(back).toMatchObject({ type: 'opened', room: opened.room });
    await Promise.all([host.close(), l.close()]);
  });

  it('refuses a bad host token on a socket with an error frame and a close', async () => {
    const s = await TestSocket.connect(server.url);
    const reply = await s.request({ type: 'auth', hostToken: await hostToken({ aud: 'x' }) });
    expect(serverFrameSchema.parse(reply)).toMatchObject({
      type: 'error',
      error: { code: 'host_token_claims' },
    });
    expect((await s.closed).code).toBe(4003);
  });

  it('refuses an auth frame with both a token and a host token', async () => {
    const s = await TestSocket.connect(server.url);
    const reply = await s.request({ type: 'auth', token: 'x', hostToken: 'y' });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'validation_failed' } });
    await s.close();
  });
});

describe('LOCAL_ACCOUNTS=false', () => {
  it('refuses registration and password sign-in, and still signs host users in', async () => {
    await using server = await startTestServer({ env: { ...hostEnv, LOCAL_ACCOUNTS: 'false' } });
    const credentials = { username: newUsername('nope'), password: goodPassword };
    for (const path of ['/api/register', '/api/login']) {
      const res = await server.api(path, { body: credentials });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('local_accounts_disabled');
    }
    const host = await server.api('/api/host-session', { body: { token: await hostToken() } });
    expect(host.status).toBe(200);
  });
});

describe('a server without host sign-in', () => {
  it('answers host_auth_disabled over HTTP and on a socket', async () => {
    await using server = await startTestServer();
    const res = await server.api('/api/host-session', { body: { token: await hostToken() } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('host_auth_disabled');
    const s = await TestSocket.connect(server.url);
    const reply = await s.request({ type: 'auth', hostToken: await hostToken() });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'host_auth_disabled' } });
    await s.closed;
  });
});

describe('host sign-in configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.join('\n');
      throw err;
    }
    return '';
  };

  it('refuses an HS256 secret shorter than 32 bytes, naming the variable', () => {
    expect(problems({ ...hostEnv, HOST_JWT_SECRET: 'short' })).toMatch(
      /^HOST_JWT_SECRET: .*32 bytes/,
    );
  });

  it('requires the issuer and audience with a key source', () => {
    const p = problems({ HOST_JWT_SECRET: secret });
    expect(p).toMatch(/HOST_JWT_ISSUER/);
    expect(p).toMatch(/HOST_JWT_AUDIENCE/);
    expect(
      problems({
        HOST_JWKS_URL: 'ftp://x/jwks',
        HOST_JWT_ISSUER: issuer,
        HOST_JWT_AUDIENCE: audience,
      }),
    ).toMatch(/^HOST_JWKS_URL/);
  });

  it('accepts a JWKS URL with issuer and audience, and LOCAL_ACCOUNTS', () => {
    const c = loadConfig({
      HOST_JWKS_URL: 'https://host.test/.well-known/jwks.json',
      HOST_JWT_ISSUER: issuer,
      HOST_JWT_AUDIENCE: audience,
      LOCAL_ACCOUNTS: 'false',
    });
    expect(c.LOCAL_ACCOUNTS).toBe(false);
    expect(c.HOST_JWKS_URL).toBe('https://host.test/.well-known/jwks.json');
  });
});
