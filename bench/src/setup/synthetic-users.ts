import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { UserRef } from '../load/clients/client.js';
import type { BenchRedis } from '../targets/redis.js';

const DAY_MS = 86_400_000;

/** Users for the relay, which takes the token as the user id and checks nothing. */
export function relayUsers(url: string, count: number): UserRef[] {
  return Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    return { id, username: `r${i}`, token: id, url };
  });
}

/**
 * Users for the Socket.IO baseline: sessions written where its auth middleware looks them up
 * (`<prefix>sio:sess:<sha256(token)>`), as a login endpoint of its own would have.
 */
export async function seedSocketIoUsers(
  redis: BenchRedis,
  url: string,
  count: number,
): Promise<UserRef[]> {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  const users: UserRef[] = [];
  try {
    for (let i = 0; i < count; i += 1000) {
      const batch = client.pipeline();
      for (let k = i; k < Math.min(count, i + 1000); k++) {
        const user = { id: randomUUID(), username: `s${k}` };
        const token = randomBytes(32).toString('base64url');
        const hash = createHash('sha256').update(token).digest('base64url');
        batch.set(`${redis.prefix}sio:sess:${hash}`, JSON.stringify(user), 'PX', DAY_MS);
        users.push({ ...user, token, url });
      }
      await batch.exec();
    }
  } finally {
    client.disconnect();
  }
  return users;
}
