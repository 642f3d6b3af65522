import { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import { redactUrl } from '../../util/redact-url.js';

export interface RedisClientOptions {
  url: string;
  /** Every command fails after this long instead of waiting (default 1000 ms). */
  commandTimeoutMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Label for logs, e.g. 'commands' or 'subscriber'. */
  role: string;
}

/**
 * An ioredis connection that never makes a caller wait on an outage: no offline queue (commands
 * fail at once while disconnected), one retry per request, a command timeout, and an `error`
 * listener so a dropped connection is logged instead of crashing the process. It keeps
 * reconnecting in the background, so service resumes by itself when Redis is back.
 */
export async function connectRedis(options: RedisClientOptions): Promise<Redis> {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A command whose reply was lost with the connection was already failed to its caller (or
    // soon will be): never resend it after the reconnect, where it would take effect late.
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(2000, options.commandTimeoutMs),
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  });
  let down = false;
  let lastError = '';
  redis.on('error', (err: Error) => {
    lastError = err.message;
    if (!down) options.logger.warn({ err: err.message, role: options.role }, 'redis error');
    down = true;
  });
  redis.on('ready', () => {
    if (down) options.logger.info({ role: options.role }, 'redis connection restored');
    down = false;
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${redactUrl(options.url)} (REDIS_URL): ${lastError || (err as Error).message}`,
      { cause: err },
    );
  }
  return redis;
}
