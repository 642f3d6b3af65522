import type { Logger } from '../logger.js';
import type { Engine } from './engine.js';
import { MemoryEngine } from './memory-engine.js';
import { RedisEngine } from './redis-engine.js';

export async function createEngine(options: {
  redisUrl?: string | undefined;
  keyPrefix: string;
  commandTimeoutMs: number;
  logger: Logger;
}): Promise<Engine> {
  if (!options.redisUrl) return new MemoryEngine({ logger: options.logger });
  return RedisEngine.connect({
    url: options.redisUrl,
    keyPrefix: options.keyPrefix,
    commandTimeoutMs: options.commandTimeoutMs,
    logger: options.logger,
  });
}
