import { freePort } from '@ephemeral-chat/testkit';
import { describe, expect, it } from 'vitest';
import { connectRedisCluster } from './redis-cluster-client.js';

describe('connectRedisCluster', () => {
  it('fails with a message naming REDIS_CLUSTER and the seeds when no seed answers', async () => {
    const port = await freePort();
    const attempt = connectRedisCluster({
      seeds: [{ host: '127.0.0.1', port }],
      commandTimeoutMs: 200,
      logger: { warn: () => {}, info: () => {} },
      role: 'commands',
    });
    await expect(attempt).rejects.toThrow(
      new RegExp(`Redis Cluster is not reachable at 127\\.0\\.0\\.1:${port} \\(REDIS_CLUSTER\\)`),
    );
  });
});
