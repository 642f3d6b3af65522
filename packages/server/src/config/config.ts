import { checkedEnvSchema, type Env, envSchema } from './env-schema.js';

export type Config = Readonly<Env & { LOG_FORMAT: 'json' | 'pretty' }>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once; a bad value throws a ConfigError that names each variable.
 * Empty strings count as unset, so `FOO=` in a .env file falls back to the default.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(envSchema.shape);
  const input = Object.fromEntries(known.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = checkedEnvSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`),
    );
  }
  const data = parsed.data;
  const format = data.LOG_FORMAT ?? (data.NODE_ENV === 'production' ? 'json' : 'pretty');
  return Object.freeze({ ...data, LOG_FORMAT: format });
}
