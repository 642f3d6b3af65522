import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'Use true or false.' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'Use a whole number.' })
    .int('Use a whole number.')
    .min(min, `Use at least ${min}.`)
    .max(max, `Use at most ${max}.`);

const origin = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
    } catch {
      return false;
    }
  },
  { error: 'Each origin is scheme://host[:port] with no path or trailing slash.' },
);

/**
 * Every environment variable the server reads. Names, defaults and meaning are mirrored in the
 * README's configuration table.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(8080),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin)),
  TRUST_PROXY: bool.default(false),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql|sqlite):/, 'Use postgres://… or sqlite:<path>.')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Use a lower-case SQL identifier.')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'Use redis://host:port or rediss://….')
    .optional(),
  // Seed nodes of a Redis Cluster, `host:port,host:port,…` (exclusive with REDIS_URL).
  REDIS_CLUSTER: z
    .string()
    .optional()
    .transform((raw, ctx): { host: string; port: number }[] | undefined => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const seeds: { host: string; port: number }[] = [];
      for (const part of raw.split(',')) {
        const m = /^\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})\s*$/.exec(part);
        const port = Number(m?.[2]);
        if (!m?.[1] || port < 1 || port > 65535) {
          ctx.addIssue({
            code: 'custom',
            message: `Use host:port,host:port,… (seed nodes of the cluster); "${part.trim()}" is not host:port.`,
          });
          return z.NEVER;
        }
        seeds.push({ host: m[1].replace(/^\[|\]$/g, ''), port });
      }
      return seeds;
    }),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,32}$/, 'Use up to 32 of A-Z a-z 0-9 : _ -.')
    .default('ec:'),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 60_000).default(1000),
  BCRYPT_COST: int(4, 17).default(12),
  PASSWORD_PEPPER: z
    .string()
    .min(32, 'The pepper needs at least 32 characters of secret.')
    .optional(),
  COOKIE_SECURE: bool.default(true),
  MAX_BODY_BYTES: int(256, 1024 * 1024).default(16 * 1024),
  LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: int(1, 1_000_000).default(10),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1_000_000).default(100),
  LOGIN_MAX_FAILURES_PER_IP: int(1, 1_000_000).default(50),
  LOGIN_THROTTLE_WINDOW_S: int(1, 86_400).default(300),
  // At least 2: one address may hold all slots but one.
  LOGIN_MAX_CONCURRENT_PER_ACCOUNT: int(2, 1000).default(4),
  REGISTER_MAX_PER_IP: int(1, 1_000_000).default(20),
  REGISTER_WINDOW_S: int(1, 86_400).default(3600),
  WS_AUTH_TIMEOUT_MS: int(100, 60_000).default(5000),
  WS_IDLE_TIMEOUT_S: int(8, 960).default(60),
  WS_MAX_PAYLOAD_BYTES: int(1024, 1024 * 1024).default(16 * 1024),
  WS_MAX_BACKPRESSURE_BYTES: int(16 * 1024, 64 * 1024 * 1024).default(1024 * 1024),
  WS_REPLY_BYTES_IN_FLIGHT: int(64 * 1024, 4 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  WS_SEND_RATE: z.coerce.number().positive().max(1_000_000).default(10),
  WS_SEND_BURST: int(1, 1_000_000).default(20),
  WS_FRAME_RATE: z.coerce.number().positive().max(1_000_000).default(50),
  WS_FRAME_BURST: int(1, 1_000_000).default(100),
  WS_MAX_SOCKETS_PER_USER: int(1, 10_000).default(16),
  WS_MAX_IN_FLIGHT: int(1, 10_000).default(32),
  PRESENCE_TTL_MS: int(3000, 600_000).default(60_000),
  PRESENCE_SWEEP_MS: int(500, 60_000).default(15_000),
  GROUP_MAX_MEMBERS: int(2, 1024).default(256),
  GROUPS_MAX_PER_USER: int(1, 10_000).default(100),
  REPORT_RETENTION_DAYS: int(1, 3650).default(30),
  REPORT_EVIDENCE_DAYS: int(1, 365).default(7),
  REPORT_SECRET: z
    .string()
    .min(32, 'The report secret needs at least 32 characters of secret.')
    .optional(),
  ADMIN_TOKEN: z
    .string()
    .min(32, 'The admin token needs at least 32 characters (e.g. openssl rand -base64 32).')
    .max(512, 'Use at most 512 characters.')
    .regex(/^[\x21-\x7e]+$/, 'Use printable ASCII without spaces (it is sent as a Bearer token).')
    .optional(),
  METRICS_TOKEN: z
    .string()
    .min(32, 'The metrics token needs at least 32 characters (e.g. openssl rand -base64 32).')
    .max(512, 'Use at most 512 characters.')
    .regex(/^[\x21-\x7e]+$/, 'Use printable ASCII without spaces (it is sent as a Bearer token).')
    .optional(),
  // A second listener serving only /metrics, without a token: keep it off the public network.
  METRICS_PORT: int(1, 65535).optional(),
  LOCAL_ACCOUNTS: bool.default(true),
  HOST_JWT_SECRET: z
    .string()
    // RFC 7518 §3.2: an HS256 key has at least as many bits as the hash output (256).
    .refine((v) => Buffer.byteLength(v, 'utf8') >= 32, {
      error: 'The HS256 secret needs at least 32 bytes (e.g. openssl rand -base64 32).',
    })
    .optional(),
  HOST_JWKS_URL: z
    .url({ protocol: /^https?$/, error: 'Use the https:// (or http://) URL of a JWKS document.' })
    .optional(),
  HOST_JWT_ISSUER: z.string().min(1).max(512).optional(),
  HOST_JWT_AUDIENCE: z.string().min(1).max(512).optional(),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'Use up to 64 of A-Z a-z 0-9 _ . -.')
    .optional(),
  // `auto` (one per core) or 1–64 uWebSockets.js worker processes on one port; see docs/deployment.md.
  WORKERS: z
    .string()
    .default('1')
    .transform((raw, ctx): 'auto' | number => {
      const v = raw.trim().toLowerCase();
      if (v === 'auto') return 'auto';
      const n = /^[0-9]{1,3}$/.test(v) ? Number(v) : Number.NaN;
      if (n >= 1 && n <= 64) return n;
      ctx.addIssue({ code: 'custom', message: 'Use auto (one per core) or a whole number 1–64.' });
      return z.NEVER;
    }),
  WIDGET_DIR: z.string().min(1).optional(),
  DEMO_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

/**
 * Host sign-in needs its issuer and audience as soon as a key source is set; METRICS_PORT differs
 * from PORT.
 */
export const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  if (env.REDIS_URL !== undefined && env.REDIS_CLUSTER !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_CLUSTER'],
      message: 'Set either REDIS_URL (one Redis) or REDIS_CLUSTER (a Redis Cluster), not both.',
    });
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
    ctx.addIssue({
      code: 'custom',
      path: ['METRICS_PORT'],
      message: 'Use a port other than PORT (the metrics listener is a second one).',
    });
  }
  if (env.HOST_JWT_SECRET === undefined && env.HOST_JWKS_URL === undefined) return;
  for (const key of ['HOST_JWT_ISSUER', 'HOST_JWT_AUDIENCE'] as const) {
    if (env[key] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message:
          'Required with HOST_JWT_SECRET or HOST_JWKS_URL (the iss and aud host tokens carry).',
      });
    }
  }
});

export type Env = z.infer<typeof envSchema>;
