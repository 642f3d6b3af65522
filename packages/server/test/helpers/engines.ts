import { deleteKeys, requireRedis, uniquePrefix } from '@ephemeral-chat/testkit';
import type { Engine } from '../../src/engine/engine.js';
import { MemoryEngine } from '../../src/engine/memory-engine.js';
import { connectTestEngine } from './redis-engine.js';

export type EngineFactory = () => Promise<{ engine: Engine; dispose(): Promise<void> }>;

/**
 * Every Engine a seam's contract suite runs against: in memory, and on real Redis under its own
 * prefix. Each suite exercises its own seam (`engine.sessions`, `engine.bus`, …).
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
];
