import { goodPassword, newUsername, startOwnRedis, startTestServer } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';

describe('Redis outage', () => {
  it('answers 503 quickly while Redis is down and recovers by itself, keeping sessions', async () => {
    await using redis = await startOwnRedis();
    await using server = await startTestServer({
      redis: redis.url,
      env: { REDIS_COMMAND_TIMEOUT_MS: '300' },
    });
    const reg = await server.api('/api/register', {
      body: { username: newUsername(), password: goodPassword },
    });
    const token = reg.body.token as string;

    await redis.kill();
    const started = Date.now();
    const me = await server.api('/api/me', { token });
    expect(me.status).toBe(503);
    expect(me.body.error.code).toBe('unavailable');
    const login = await server.api('/api/login', {
      body: { username: 'anyone_at_all', password: goodPassword },
    });
    expect(login.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3_000);
    const ready = await server.api('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ engine: 'down', database: 'ok' });

    await redis.start();
    await expect
      .poll(async () => (await server.api('/api/me', { token })).status, {
        timeout: 8_000,
        interval: 200,
      })
      .toBe(200);
    expect((await server.api('/readyz')).status).toBe(200);
  });
});
