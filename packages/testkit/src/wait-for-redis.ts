import { Redis } from 'ioredis';

/**
 * Resolves at the first real PONG from `url`; rejects once `timeoutMs` has passed. While an AOF
 * replays, Redis answers LOADING (an error) instead, so a connection alone is not enough.
 */
export async function waitForRedis(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis(url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(`Redis at ${url} did not answer (${(err as Error).message}).`);
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}
