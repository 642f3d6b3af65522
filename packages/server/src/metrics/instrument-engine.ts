import type { Engine } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory-engine.js';
import { RedisEngine } from '../engine/redis-engine.js';
import { memoryExpiryProbe, redisExpiryProbe } from './expiry-probes.js';
import { ExpirySampler, sampleAppends } from './expiry-sampler.js';
import { timeRedisCommands } from './redis-timing.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * Hooks the engine's measurements into `metrics`: Redis command latency and pub/sub lag (Redis),
 * and the sampled expiry lag (both engines). Called only when metrics are on; returns the expiry
 * sampler, to stop when the server closes.
 */
export function instrumentEngine(
  engine: Engine,
  metrics: ServerMetrics,
  keyPrefix: string,
): ExpirySampler | undefined {
  let sampler: ExpirySampler | undefined;
  if (engine instanceof RedisEngine) {
    const redis = engine.commandClient;
    timeRedisCommands(redis, (command, ms) => metrics.redisCommand(command, ms));
    engine.bus.onRemote = (payload, group, now) => metrics.pubsubReceived(payload, group, now);
    sampler = new ExpirySampler(redisExpiryProbe(redis, keyPrefix), metrics);
  } else if (engine instanceof MemoryEngine) {
    sampler = new ExpirySampler(memoryExpiryProbe(engine.messages), metrics);
  }
  if (sampler) sampleAppends(engine.messages, sampler);
  return sampler;
}
