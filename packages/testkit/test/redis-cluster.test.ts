import type { ChildProcess } from 'node:child_process';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { type RedisCluster, startRedisCluster } from '../src/redis-cluster.js';

function clusterClient(c: RedisCluster): Cluster {
  const client = new Cluster(
    c.seeds.split(',').map((s) => {
      const [host = '', port = ''] = s.split(':');
      return { host, port: Number(port) };
    }),
    { redisOptions: { maxRetriesPerRequest: 2 } },
  );
  client.on('error', () => {});
  return client;
}

async function clusterNodesOf(port: number): Promise<string> {
  const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    return String(await r.call('CLUSTER', ['NODES']));
  } finally {
    r.disconnect();
  }
}

async function clusterInfoOf(port: number): Promise<string> {
  const r = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    return String(await r.call('CLUSTER', ['INFO']));
  } finally {
    r.disconnect();
  }
}

function allDead(children: ChildProcess[]): boolean {
  return children.every((c) => {
    if (c.exitCode === null && c.signalCode === null) return false;
    try {
      process.kill(c.pid ?? -1, 0);
      return false;
    } catch {
      return true;
    }
  });
}

describe('startRedisCluster', () => {
  it('starts three masters whose slots serve keys through a Cluster client; stop() leaves no process', async () => {
    const children: ChildProcess[] = [];
    const cluster = await startRedisCluster({ onSpawn: (c) => children.push(c) });
    const client = clusterClient(cluster);
    try {
      expect(cluster.nodes.map((n) => n.role)).toEqual(['master', 'master', 'master']);
      expect(cluster.seeds).toBe(cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(','));
      expect(children).toHaveLength(3);
      const keys = Array.from({ length: 30 }, (_, i) => `rc-test:${i}`);
      for (const k of keys) await client.set(k, `v-${k}`);
      for (const k of keys) expect(await client.get(k)).toBe(`v-${k}`);
      // The keys landed on every master, i.e. on slots of different nodes.
      const sizes = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
      expect(sizes.filter((n) => n > 0)).toHaveLength(3);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(keys.length);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
    expect(allDead(children)).toBe(true);
  }, 60_000);

  it('fails over: a killed master is replaced by its replica and its keys survive', async () => {
    const children: ChildProcess[] = [];
    await using cluster = await startRedisCluster({
      replicasPerMaster: 1,
      onSpawn: (c) => children.push(c),
    });
    expect(cluster.nodes.map((n) => n.role)).toEqual([
      'master',
      'master',
      'master',
      'replica',
      'replica',
      'replica',
    ]);
    const victim = cluster.nodes[0]?.port ?? 0;
    const heir = cluster.nodes.find((n) => n.master === victim)?.port ?? 0;
    const survivor = cluster.nodes[1]?.port ?? 0;
    const before = clusterClient(cluster);
    const keys = Array.from({ length: 60 }, (_, i) => `rc-failover:${i}`);
    try {
      for (const k of keys) await before.set(k, k);
      // WAIT: every write is on its replica before the kill, so none may be lost.
      for (const m of before.nodes('master')) expect(await m.wait(1, 5000)).toBe(1);
    } finally {
      before.disconnect();
    }

    const killedAt = Date.now();
    await cluster.kill(victim);
    // Generous bound (node timeout 1 s): a failover that never happens fails here, not by hanging.
    const bound = 20_000;
    for (;;) {
      const info = await clusterInfoOf(survivor);
      const heirLine = (await clusterNodesOf(survivor))
        .split('\n')
        .find((l) => l.includes(`:${heir}@`));
      if (/^cluster_state:ok/m.test(info) && /\bmaster\b/.test(heirLine?.split(' ')[2] ?? '')) {
        break;
      }
      if (Date.now() - killedAt > bound) {
        throw new Error(`no failover within ${bound} ms:\n${info}\n${heirLine}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`failover took ${Date.now() - killedAt} ms (cluster-node-timeout 1000 ms)`);

    const after = clusterClient(cluster);
    try {
      for (const k of keys) expect(await after.get(k)).toBe(k);
    } finally {
      after.disconnect();
    }
    await cluster.stop();
    expect(allDead(children)).toBe(true);
  }, 90_000);

  it('fails with a clear error naming the step, and leaves no process, when start-up is too slow', async () => {
    const children: ChildProcess[] = [];
    await expect(
      startRedisCluster({ timeoutMs: 1, onSpawn: (c) => children.push(c) }),
    ).rejects.toThrow(/Redis Cluster did not start: step "[^"]+" failed/);
    expect(allDead(children)).toBe(true);
  });
});
