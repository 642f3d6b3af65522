import { randomBytes } from 'node:crypto';
import { startOwnRedis, waitForRedis } from '@ephemeral-chat/testkit';
import { Redis } from 'ioredis';
import { track } from './children.js';

export interface BenchRedis {
  readonly url: string;
  /** A Redis Cluster's seeds (`host:port,…`, for `REDIS_CLUSTER`); undefined on one Redis. */
  readonly cluster?: string;
  /** Key prefix of this run (servers and baseline put every key under it). */
  readonly prefix: string;
  /** A private redis-server's pid; undefined on a shared Redis. */
  readonly pid: number | undefined;
  /** INFO figures: used_memory (bytes), CPU seconds (user + sys), keys in db0. */
  stats(): Promise<{ usedMemory: number; cpuSeconds: number; keys: number }>;
  /** Keys matching any of these SCAN patterns. */
  countKeys(patterns: readonly string[]): Promise<number>;
  /** Deletes the run's keys (SCAN, never KEYS) or stops the private server. */
  close(): Promise<void>;
}

/**
 * A private redis-server on a free port (nothing persisted), so that used_memory and CPU are the
 * benchmark's alone; or, with `url`, a shared Redis under a key prefix of the run's own.
 */
export async function openRedis(url?: string): Promise<BenchRedis> {
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  // `hz 100`, as docs/deployment.md recommends: with a key per message expiring, Redis'
  // default 10 expiry cycles a second run up to 25 ms each, a stall every client sees.
  const own = url
    ? undefined
    : await startOwnRedis({ appendfsync: 'off', args: ['--hz', '100'], onSpawn: track });
  url ??= own?.url ?? '';
  await waitForRedis(url, 5000);
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  const info = async (section: string) => {
    const text = await redis.info(section);
    return (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  };
  return {
    url,
    prefix,
    pid: own?.pid,
    async stats() {
      const [memory, cpu, keyspace] = await Promise.all([
        info('memory'),
        info('cpu'),
        redis.info('keyspace'),
      ]);
      return {
        usedMemory: memory('used_memory'),
        cpuSeconds: cpu('used_cpu_user') + cpu('used_cpu_sys'),
        keys: Number(/^db0:keys=(\d+)/m.exec(keyspace)?.[1] ?? 0),
      };
    },
    async countKeys(patterns) {
      let n = 0;
      for (const pattern of patterns) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          n += keys.length;
          cursor = next;
        } while (cursor !== '0');
      }
      return n;
    },
    async close() {
      if (own) {
        redis.disconnect();
        await own[Symbol.asyncDispose]();
        return;
      }
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
