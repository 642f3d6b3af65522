import { randomBytes } from 'node:crypto';
import { startRedisCluster } from '@ephemeral-chat/testkit';
import { Cluster } from 'ioredis';
import { track } from './children.js';
import type { BenchRedis } from './redis.js';

/** Masters of the benchmark's cluster: the three-master topology, no replicas. */
const MASTERS = 3;

/**
 * A private three-master Redis Cluster on free ports (nothing persisted, `hz 100` like the single
 * Redis), for ours with `REDIS_CLUSTER`. Its figures (memory, CPU, keys) are summed over the masters.
 */
export async function openRedisCluster(): Promise<BenchRedis> {
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  const own = await startRedisCluster({ masters: MASTERS, args: ['--hz', '100'], onSpawn: track });
  const client = new Cluster(
    own.seeds.split(',').map((seed) => {
      const [host = '127.0.0.1', port = '0'] = seed.split(':');
      return { host, port: Number(port) };
    }),
    { redisOptions: { maxRetriesPerRequest: 1 } },
  );
  client.on('error', () => {});
  const perMaster = async <T>(each: (node: ReturnType<Cluster['nodes']>[number]) => Promise<T>) =>
    Promise.all(client.nodes('master').map(each));
  const number = (text: string, name: string) =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    url: `redis://${own.seeds.split(',')[0] ?? ''}`,
    cluster: own.seeds,
    prefix,
    pid: undefined,
    async stats() {
      const infos = await perMaster((n) => n.info());
      const sum = (f: (text: string) => number) => infos.reduce((s, text) => s + f(text), 0);
      return {
        usedMemory: sum((t) => number(t, 'used_memory')),
        cpuSeconds: sum((t) => number(t, 'used_cpu_user') + number(t, 'used_cpu_sys')),
        keys: sum((t) => Number(/^db0:keys=(\d+)/m.exec(t)?.[1] ?? 0)),
      };
    },
    async countKeys(patterns) {
      const counts = await perMaster(async (node) => {
        let n = 0;
        for (const pattern of patterns) {
          let cursor = '0';
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
            n += keys.length;
            cursor = next;
          } while (cursor !== '0');
        }
        return n;
      });
      return counts.reduce((a, b) => a + b, 0);
    },
    async close() {
      client.disconnect();
      await own.stop();
    },
  };
}
