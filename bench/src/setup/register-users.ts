import { randomBytes } from 'node:crypto';
import type { UserRef } from '../load/clients/client.js';

const PASSWORD = 'bench only, not a real secret';

/**
 * Registers `count` users on an ephemeral-chat server through its API (bcrypt runs per user,
 * so in parallel lanes; the server must allow it: REGISTER_MAX_PER_IP). Returns them with their
 * session tokens, pointed at `url`.
 */
export async function registerUsers(url: string, count: number, lanes = 32): Promise<UserRef[]> {
  const tag = randomBytes(3).toString('hex');
  const users: UserRef[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      users[i] = await registerOne(url, `b${tag}_${i}`).catch(
        // A pooled keep-alive socket the server had just closed fails the request: once more,
        // under another name in case the first one did register.
        () => registerOne(url, `b${tag}_${i}_r`),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
  return users;
}

async function registerOne(url: string, username: string): Promise<UserRef> {
  const res = await fetch(`${url}/api/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  }).catch((err: Error) => {
    throw new Error(`register ${username} at ${url}: ${err.message} (${String(err.cause)})`);
  });
  const body = (await res.json()) as { user?: { id: string }; token?: string };
  if (res.status !== 201 || !body.user || !body.token) {
    throw new Error(`register ${username}: ${res.status} ${JSON.stringify(body)}`);
  }
  return { id: body.user.id, username, token: body.token, url };
}
