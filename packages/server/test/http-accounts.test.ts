import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  authResponseSchema,
  errorBodySchema,
  meResponseSchema,
  searchResponseSchema,
} from '@ephemeral-chat/protocol';
import { goodPassword, newUsername, startTestServer } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { createUserStore } from '../src/stores/users/index.js';

describe('a change of BCRYPT_COST', () => {
  it('rehashes a password at the new cost when its user next signs in', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ec-rehash-'));
    const storedHash = async (username: string) => {
      const store = await createUserStore({ dataDir });
      try {
        return (await store.findByUsername(username))?.passwordHash;
      } finally {
        await store.close();
      }
    };
    try {
      const name = newUsername();
      const credentials = { username: name, password: goodPassword };
      {
        await using before = await startTestServer({
          env: { DATA_DIR: dataDir, BCRYPT_COST: '4' },
        });
        expect((await before.api('/api/register', { body: credentials })).status).toBe(201);
      }
      expect(await storedHash(name)).toMatch(/^\$2b\$04\$/);
      {
        await using after = await startTestServer({ env: { DATA_DIR: dataDir, BCRYPT_COST: '5' } });
        expect((await after.api('/api/login', { body: credentials })).status).toBe(200);
        expect(await storedHash(name)).toMatch(/^\$2b\$05\$/);
        // The new hash verifies the same password, and a wrong one still fails.
        expect((await after.api('/api/login', { body: credentials })).status).toBe(200);
        const wrong = { username: name, password: `${goodPassword}!` };
        expect((await after.api('/api/login', { body: wrong })).status).toBe(401);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each([
  { name: 'MemoryEngine and SQLite', redis: false, postgres: false },
  { name: 'RedisEngine and PostgreSQL', redis: true, postgres: true },
])('accounts over HTTP with $name', ({ redis, postgres }) => {
  it('registers, logs in, reads me, searches, logs out, then me is 401', async () => {
    await using server = await startTestServer({ redis, postgres });
    const alice = newUsername('Alice');
    const bob = newUsername('Bob');

    const reg = await server.api('/api/register', {
      body: { username: alice, password: goodPassword },
    });
    expect(reg.status).toBe(201);
    expect(authResponseSchema.parse(reg.body).user.username).toBe(alice);
    await server.api('/api/register', { body: { username: bob, password: goodPassword } });

    const login = await server.api('/api/login', {
      body: { username: alice.toLowerCase(), password: goodPassword },
    });
    expect(login.status).toBe(200);
    const { token, user } = authResponseSchema.parse(login.body);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(user.username).toBe(alice);
    expect(token).not.toBe(reg.body.token);

    const me = await server.api('/api/me', { token });
    expect(me.status).toBe(200);
    expect(meResponseSchema.parse(me.body).user).toEqual(user);

    const search = await server.api(`/api/users/search?q=${encodeURIComponent('bob_')}`, { token });
    expect(search.status).toBe(200);
    const found = searchResponseSchema.parse(search.body).users;
    expect(found.map((u) => u.username)).toContain(bob);
    expect(found.every((u) => u.online === false)).toBe(true);

    const own = await server.api(`/api/users/search?q=${alice.slice(0, 5)}`, { token });
    expect(own.body.users.map((u: { id: string }) => u.id)).not.toContain(user.id);

    const out = await server.api('/api/logout', { method: 'POST', token });
    expect(out.status).toBe(204);
    const after = await server.api('/api/me', { token });
    expect(after.status).toBe(401);
    expect(errorBodySchema.parse(after.body).error.code).toBe('session_invalid');
    // The registration's session is a different one and still valid.
    expect((await server.api('/api/me', { token: reg.body.token })).status).toBe(200);
  });

  it('refuses a duplicate username in any case with 409', async () => {
    await using server = await startTestServer({ redis, postgres });
    const name = newUsername('Carol');
    await server.api('/api/register', { body: { username: name, password: goodPassword } });
    const dup = await server.api('/api/register', {
      body: { username: name.toUpperCase(), password: goodPassword },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('username_taken');
  });
});

describe('passwords', () => {
  it('accepts a long non-ASCII password and tells apart passwords that share 72 bytes', async () => {
    await using server = await startTestServer();
    const name = newUsername();
    const long = `${'パスワード'.repeat(20)}-one`;
    const reg = await server.api('/api/register', { body: { username: name, password: long } });
    expect(reg.status).toBe(201);
    // bcrypt alone would read only the first 72 bytes, which these two share.
    const sibling = `${'パスワード'.repeat(20)}-two`;
    expect(
      (await server.api('/api/login', { body: { username: name, password: sibling } })).status,
    ).toBe(401);
    expect(
      (await server.api('/api/login', { body: { username: name, password: long } })).status,
    ).toBe(200);
  });

  it('refuses common passwords and the username as password', async () => {
    await using server = await startTestServer();
    const name = newUsername();
    for (const password of ['password1', 'Qwertyuiop', name]) {
      const res = await server.api('/api/register', { body: { username: name, password } });
      expect(res.status, password).toBe(400);
      expect(res.body.error.code).toBe('weak_password');
    }
  });

  it('counts length in characters, not bytes: eight emoji are enough, seven are not', async () => {
    await using server = await startTestServer();
    const seven = await server.api('/api/register', {
      body: { username: newUsername(), password: '🔥'.repeat(7) },
    });
    expect(seven.body.error.code).toBe('validation_failed');
    const eight = await server.api('/api/register', {
      body: { username: newUsername(), password: '🔥'.repeat(8) },
    });
    expect(eight.status).toBe(201);
  });
});

describe('health', () => {
  it('answers healthz and readyz when the engine and database are up', async () => {
    await using server = await startTestServer();
    expect(await server.api('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await server.api('/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { engine: 'ok', database: 'ok' } },
    });
  });
});
