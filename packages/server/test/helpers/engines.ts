import { randomUUID } from 'node:crypto';
import { deleteKeys, requireRedis, uniquePrefix } from '@ephemeral-chat/testkit';
import type { Engine } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory-engine.js';
import { connectClusterTestEngine } from './redis-cluster-engine.js';
import { connectTestEngine } from './redis-engine.js';

export type EngineFactory = () => Promise<{ engine: Engine; dispose(): Promise<void> }>;

/**
 * Every Engine a seam's contract suite runs against: in memory, on real Redis under its own
 * prefix, and on a three-master Redis Cluster of the test file's own (REDIS_CLUSTER; the cluster
 * is started once per file). Each suite exercises its own seam (`engine.sessions`, `engine.bus`, …).
 */
export const engineFactories: [string, EngineFactory][] = [
  [
    'MemoryEngine',
    async () => {
      const engine = new MemoryEngine();
      return { engine, dispose: () => engine.close() };
    },
  ],
  [
    'RedisEngine',
    async () => {
      await requireRedis();
      const prefix = uniquePrefix();
      const engine = await connectTestEngine(prefix);
      return { engine, dispose: () => engine.close().then(() => deleteKeys(prefix)) };
    },
  ],
  [
    'RedisEngine on a Redis Cluster',
    async () => {
      // The cluster is the file's own and is stopped after it: no keys to delete.
      const engine = await connectClusterTestEngine(uniquePrefix());
      return { engine, dispose: () => engine.close() };
    },
  ],
];

/** Two fresh member ids and their 1:1 room, unique per call (tests share one Redis prefix). */
export function freshPair() {
  const id = randomUUID().slice(0, 8);
  const a = `a${id}`;
  const b = `b${id}`;
  return { a, b, room: `dm:${a}:${b}`, members: [a, b] as const };
}
export type Pair = ReturnType<typeof freshPair>;
