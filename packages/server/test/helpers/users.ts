import type { PublicUser } from '@ephemeral-chat/protocol';
import { goodPassword, newUsername, type TestServer } from './start-server.js';

export interface TestUser extends PublicUser {
  token: string;
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
