import { goodPassword, newUsername, startTestServer } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { rawRequest } from './helpers/raw-http.js';

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('login throttling', () => {
  it('blocks one address after repeated failures on an account, with retryAfter, without locking out the real user elsewhere', async () => {
    await using server = await startTestServer({
      env: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '3',
        LOGIN_THROTTLE_WINDOW_S: '60',
      },
    });
    const username = newUsername();
    await server.api('/api/register', { body: { username, password: goodPassword } });
    for (let i = 0; i < 3; i++) {
      const res = await server.api('/api/login', {
        body: { username, password: 'wrong password' },
        headers: from('10.0.0.66'),
      });
      expect(res.status).toBe(401);
    }
    const blocked = await server.api('/api/login', {
      body: { username, password: goodPassword },
      headers: from('10.0.0.66'),
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(blocked.body.error.retryAfter).toBeGreaterThan(0);
    expect(blocked.body.error.retryAfter).toBeLessThanOrEqual(60);
    expect(blocked.headers.get('retry-after')).toBe(String(blocked.body.error.retryAfter));

    const owner = await server.api('/api/login', {
      body: { username, password: goodPassword },
      headers: from('10.0.0.7'),
    });
    expect(owner.status).toBe(200);
  });

  it('caps failures per account across addresses and per address across accounts', async () => {
    await using server = await startTestServer({
      env: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '4',
        LOGIN_MAX_FAILURES_PER_IP: '6',
      },
    });
    const target = newUsername();
    for (let i = 0; i < 4; i++) {
      await server.api('/api/login', {
        body: { username: target, password: 'wrong password' },
        headers: from(`10.0.1.${i}`),
      });
    }
    const perAccount = await server.api('/api/login', {
      body: { username: target, password: 'x' },
      headers: from('10.0.1.99'),
    });
    expect(perAccount.status).toBe(429);

    for (let i = 0; i < 6; i++) {
      await server.api('/api/login', {
        body: { username: newUsername(), password: 'wrong password' },
        headers: from('10.0.2.1'),
      });
    }
    const perIp = await server.api('/api/login', {
      body: { username: newUsername(), password: 'x' },
      headers: from('10.0.2.1'),
    });
    expect(perIp.status).toBe(429);
  });

  it('throttles an unknown username exactly like a known one', async () => {
    await using server = await startTestServer({
      env: { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '2' },
    });
    const known = newUsername();
    await server.api('/api/register', { body: { username: known, password: goodPassword } });
    const outcomes = async (username: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await server.api('/api/login', {
          body: { username, password: 'wrong password' },
          headers: from('10.0.3.1'),
        });
        statuses.push(res.status);
      }
      return statuses;
    };
    expect(await outcomes(known)).toEqual([401, 401, 429]);
    expect(await outcomes(newUsername())).toEqual([401, 401, 429]);
  });

  it('limits registrations per address', async () => {
    await using server = await startTestServer({
      env: { TRUST_PROXY: 'true', REGISTER_MAX_PER_IP: '2' },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.api('/api/register', {
        body: { username: newUsername(), password: goodPassword },
        headers: from('10.0.4.1'),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
  });
});

describe.each([
  ['MemoryEngine', false],
  ['RedisEngine', true],
])('the client address behind a trusted proxy (%s)', (_name, redis) => {
  it('takes the right-most entry over every X-Forwarded-For line, so rotating the first line does not escape the throttle', async () => {
    await using server = await startTestServer({
      redis,
      env: { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '3' },
    });
    const username = newUsername('xff');
    await server.api('/api/register', { body: { username, password: goodPassword } });
    const body = Buffer.from(JSON.stringify({ username, password: 'wrong password' }));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await rawRequest(
        server.port,
        [
          'POST /api/login HTTP/1.1',
          'Content-Type: application/json',
          // What the client sent, then what our one trusted proxy appended on a line of its own.
          `X-Forwarded-For: 192.0.2.${i}`,
          'X-Forwarded-For: 10.8.0.1',
        ],
        body,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('falls back to the socket address when the right-most entry is not an IP address', async () => {
    await using server = await startTestServer({
      redis,
      env: { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '2' },
    });
    const username = newUsername('xff');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await server.api('/api/login', {
        body: { username, password: 'wrong password' },
        headers: from(`10.8.1.1, not-an-ip-${i}`),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429]);
  });
});

describe('equal failure for unknown users and wrong passwords', () => {
  it('answers both with the same status and body, after a bcrypt verification each', async () => {
    // A real cost so that skipping bcrypt for unknown users would stand out.
    await using server = await startTestServer({ env: { BCRYPT_COST: '10', TRUST_PROXY: 'true' } });
    const username = newUsername();
    await server.api('/api/register', { body: { username, password: goodPassword } });

    const timed = async (name: string, ip: string) => {
      const started = performance.now();
      const res = await server.api('/api/login', {
        body: { username: name, password: 'wrong password' },
        headers: from(ip),
      });
      return { ms: performance.now() - started, status: res.status, body: res.body };
    };
    const wrong = [];
    const unknown = [];
    for (let i = 0; i < 5; i++) {
      wrong.push(await timed(username, `10.0.5.${i}`));
      unknown.push(await timed(newUsername(), `10.0.6.${i}`));
    }
    for (const r of [...wrong, ...unknown]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        error: { code: 'invalid_credentials', message: 'Wrong username or password.' },
      });
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    // Loose on purpose (shared machines): without the dummy hash the ratio would be near 0.02.
    expect(median(unknown.map((r) => r.ms)) / median(wrong.map((r) => r.ms))).toBeGreaterThan(0.4);
  });
});
