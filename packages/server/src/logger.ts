import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured logs: one JSON line per event in production, pino-pretty in development. Fields
 * that could carry secrets are redacted as a second line of defence; code never logs them.
 */
export function createLogger(options: { level: string; format: 'json' | 'pretty' }): Logger {
  return pino({
    level: options.level,
    base: { service: 'ephemeral-chat' },
    redact: {
      paths: ['password', 'token', 'text', '*.password', '*.token', '*.text', 'req.authorization'],
      censor: '[redacted]',
    },
    ...(options.format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l' } } }
      : {}),
  });
}
