import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  goodPassword,
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
} from '@ephemeral-chat/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../src/cli/admin-client.js';
import { runAdmin } from '../src/cli/admin-command.js';

// The operators' API and CLI on both engines: absent without ADMIN_TOKEN, guarded with it,
// validated bodies, suspension (sockets closed, sign-in refused) and its undoing.

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const cliPath = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const run = promisify(execFile);

describe('the admin API without ADMIN_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers 404 on every admin path, as if it did not exist', async () => {
    for (const path of [
      '/api/admin/reports',
      '/api/admin/users/suspend',
      '/api/admin/users/delete',
    ]) {
      const get = await server.api(path, { token: ADMIN_TOKEN });
      expect(get.status).toBe(404);
      expect(get.body.error.code).toBe('not_found');
      const post = await server.api(path, { token: ADMIN_TOKEN, body: { username: 'abc' } });
      expect(post.status).toBe(404);
    }
  });
});

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('the admin API with $name', ({ redis }) => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  const admin = (path: string, body?: unknown, token = ADMIN_TOKEN) =>
    server.api(path, { token, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    server = await startTestServer({ redis, env: { ADMIN_TOKEN } });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  const login = (username: string) =>
    server.api('/api/login', { body: { username, password: goodPassword } });

  it('refuses a missing or wrong token with admin_token_invalid, and a user session too', async () => {
    const user = await registerUser(server, 'ad');
    for (const token of [undefined, 'x', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(1), user.token]) {
      const res = await server.api('/api/admin/reports', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('admin_token_invalid');
    }
  });

  it('suspends a user: every socket closes, the session ends, sign-in answers account_suspended; unsuspend lets them back', async () => {
    const user = await registerUser(server, 'sus');
    const s1 = await TestSocket.authed(server.url, user.token);
    const s2 = await TestSocket.authed(server.url, user.token);
    const res = await admin('/api/admin/users/suspend', { username: user.username });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: { id: user.id, username: user.username }, suspended: true });
    for (const s of [s1, s2]) expect((await s.closed).reason).toBe('suspended');
    expect((await server.api('/api/me', { token: user.token })).status).toBe(401);
    const refused = await login(user.username);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_suspended');
    // A wrong password says nothing about the suspension.
    const wrong = await server.api('/api/login', {
      body: { username: user.username, password: 'not the password at all' },
    });
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const back = await admin('/api/admin/users/unsuspend', { userId: user.id });
    expect(back.body.suspended).toBe(false);
    expect((await login(user.username)).status).toBe(200);
  });

  it('answers user_not_found for an unknown user and validation_failed for a bad body', async () => {
    expect(
      (await admin('/api/admin/users/suspend', { username: 'nobody_here' })).body.error.code,
    ).toBe('user_not_found');
    for (const body of [
      {},
      { username: 'a' },
      { userId: 'x', username: 'abc' },
      { extra: 1 },
      [],
    ]) {
      const res = await admin('/api/admin/users/suspend', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const q = await server.api('/api/admin/reports?limit=1000', { token: ADMIN_TOKEN });
    expect(q.body.error.code).toBe('validation_failed');
  });

  it('resolves a report once and answers not_found for an unknown one', async () => {
    const res = await admin('/api/admin/reports/resolve', { reportId: 'r-none' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('deletes a user: their session ends and their name no longer signs in', async () => {
    const user = await registerUser(server, 'del');
    const s = await TestSocket.authed(server.url, user.token);
    const res = await admin('/api/admin/users/delete', { username: user.username });
    expect(res.status).toBe(204);
    expect((await s.closed).reason).toBe('deleted');
    expect((await login(user.username)).body.error.code).toBe('invalid_credentials');
    expect((await admin('/api/admin/users/delete', { userId: user.id })).body.error.code).toBe(
      'user_not_found',
    );
  });

  it('survives fuzzed admin bodies, answering each with a documented error or success', async () => {
    const paths = [
      '/api/admin/users/suspend',
      '/api/admin/users/unsuspend',
      '/api/admin/reports/resolve',
      '/api/admin/users/delete',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 40 })),
        async (path, body) => {
          const res = await server.api(path, {
            method: 'POST',
            token: ADMIN_TOKEN,
            body: typeof body === 'string' ? body : JSON.stringify(body),
          });
          const ok = ['validation_failed', 'invalid_json', 'user_not_found', 'not_found'];
          expect(
            res.status < 300 || ok.includes(res.body?.error?.code),
            JSON.stringify(res.body),
          ).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
    expect((await server.api('/healthz')).status).toBe(200);
  });

  it('runs the same operations from the admin command', async () => {
    const user = await registerUser(server, 'cli');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const client = new AdminClient(server.url, ADMIN_TOKEN);
    expect(await runAdmin(['suspend', user.username], client, io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ suspended: true });
    expect(await runAdmin(['unsuspend', '--id', user.id], client, io)).toBe(0);
    expect(await runAdmin(['reports', '--status', 'all'], client, io)).toBe(0);
    expect(await runAdmin(['delete-user', user.username], client, io)).toBe(2);
    expect(await runAdmin(['suspend', 'nobody_at_all'], client, io)).toBe(1);
    expect(err.join('')).toMatch(/user_not_found/);
    const wrong = new AdminClient(server.url, 'wrong-token');
    expect(await runAdmin(['reports'], wrong, io)).toBe(1);
    expect(err.join('')).toMatch(/admin_token_invalid/);
  });

  it('runs as the package bin: ephemeral-chat admin reports', async () => {
    const { stdout } = await run(
      process.execPath,
      [cliPath, 'admin', 'reports', '--status', 'all'],
      {
        env: { ...process.env, ADMIN_URL: server.url, ADMIN_TOKEN },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ hasMore: false });
  });
});
