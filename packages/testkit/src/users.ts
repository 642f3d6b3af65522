import type { PublicUser } from '@ephemeral-chat/protocol';
import type { TestServer } from './start-server.js';

export interface TestUser extends PublicUser {
  token: string;
}

let counter = 0;
/** A fresh valid username. */
export function newUsername(base = 'user'): string {
  counter += 1;
  return `${base}_${process.pid}_${counter}`.slice(0, 32);
}

export const goodPassword = 'correct horse battery staple';

/** Registers a fresh user at a server's URL (a node process) and returns it with its token. */
export async function registerAt(url: string, base = 'user'): Promise<TestUser> {
  const res = await fetch(`${url}/api/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: newUsername(base), password: goodPassword }),
  });
  const body = (await res.json()) as { user: PublicUser; token: string };
  if (res.status !== 201) throw new Error(`register failed: ${JSON.stringify(body)}`);
  return { ...body.user, token: body.token };
}

/** Registers a fresh user and returns it with its session token. */
export async function registerUser(
  server: { api: TestServer['api'] },
  base = 'user',
): Promise<TestUser> {
  const res = await server.api('/api/register', {
    body: { username: newUsername(base), password: goodPassword },
  });
  if (res.status !== 201) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  return { ...res.body.user, token: res.body.token };
}
