import { goodPassword, newUsername, startTestServer } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';

const from = (ip: string) => ({ 'x-forwarded-for': ip });

const tally = (statuses: number[]) => ({
  verified: statuses.filter((s) => s === 200 || s === 401).length,
  limited: statuses.filter((s) => s === 429).length,
  signedIn: statuses.filter((s) => s === 200).length,
  other: statuses.filter((s) => ![200, 401, 429].includes(s)).length,
});

describe.each([
  ['MemoryEngine', false],
  ['RedisEngine', true],
])('login throttle races (%s)', (_name, redis) => {
  it('counts 40 parallel attempts as 40: at most the budget of 10 reach bcrypt, the rest get 429', async () => {
    await using server = await startTestServer({
      redis,
      env: { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '10' },
    });
    const username = newUsername('race');
    await server.api('/api/register', { body: { username, password: goodPassword } });
    const attempts = Array.from({ length: 40 }, (_, i) =>
      server.api('/api/login', {
        body: { username, password: i === 20 ? goodPassword : `wrong password ${i}` },
        headers: from('10.7.0.1'),
      }),
    );
    const counts = tally((await Promise.all(attempts)).map((r) => r.status));
    expect(counts.other).toBe(0);
    expect(counts.verified).toBeLessThanOrEqual(10);
    expect(counts.limited).toBeGreaterThanOrEqual(30);
  });

  it('admits exactly the registration budget out of parallel registrations from one address', async () => {
    await using server = await startTestServer({
      redis,
      env: { TRUST_PROXY: 'true', REGISTER_MAX_PER_IP: '3' },
    });
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        server
          .api('/api/register', {
            body: { username: newUsername('reg'), password: goodPassword },
            headers: from('10.7.2.1'),
          })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });

  it('never rate-limits the real user at another address while one address sends 500 wrong guesses', async () => {
    await using server = await startTestServer({
      redis,
      env: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '5',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '20',
        LOGIN_MAX_FAILURES_PER_IP: '1000',
      },
    });
    const username = newUsername('victim');
    await server.api('/api/register', { body: { username, password: goodPassword } });
    const owner = () =>
      server.api('/api/login', {
        body: { username, password: goodPassword },
        headers: from('10.7.1.2'),
      });
    const ownerStatuses: number[] = [];
    const attacker: number[] = [];
    for (let wave = 0; wave < 10; wave++) {
      const guesses = Array.from({ length: 50 }, (_, i) =>
        server.api('/api/login', {
          body: { username, password: `guess ${wave}-${i}` },
          headers: from('10.7.1.66'),
        }),
      );
      // The owner signs in in the middle of the attack.
      const [mine, ...theirs] = await Promise.all([owner(), ...guesses]);
      ownerStatuses.push(mine?.status ?? 0);
      attacker.push(...theirs.map((r) => r.status));
    }
    ownerStatuses.push((await owner()).status);
    expect(ownerStatuses.every((s) => s === 200)).toBe(true);
    const counts = tally(attacker);
    expect(counts.signedIn).toBe(0);
    expect(counts.verified).toBeLessThanOrEqual(5);
    expect(counts.limited).toBeGreaterThanOrEqual(495);
  });
});
