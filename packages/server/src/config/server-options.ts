import type { ThrottlePolicy } from '../services/login-throttle.js';
import type { Config } from './config.js';

/**
 * The validated environment (see `env-schema.ts` and the README's table) grouped by the part of
 * the server that reads it, so each part takes one options object. Env names stay the contract;
 * these are the names code uses.
 */
export interface ServerOptions {
  http: HttpConfig;
  ws: WsConfig;
  /** Login and registration throttling (LOGIN_*, REGISTER_*). */
  throttle: ThrottlePolicy;
  presence: PresenceConfig;
  redis: RedisConfig;
  database: DatabaseConfig;
  passwords: PasswordConfig;
  groups: GroupsConfig;
  moderation: ModerationConfig;
  hostAuth: HostAuthConfig;
  /** Unset: `/metrics` does not exist on the main port (METRICS_TOKEN). */
  metricsToken: string | undefined;
  /** Unset: no metrics listener of its own (METRICS_PORT: /metrics without a token). */
  metricsPort: number | undefined;
  /** This node's id in presence marks (NODE_ID); generated when unset. */
  nodeId: string | undefined;
}

export interface HttpConfig {
  host: string;
  port: number;
  /** Browser origins allowed besides the server's own (ALLOWED_ORIGINS); WS upgrades too. */
  allowedOrigins: readonly string[];
  /** Read the client address from X-Forwarded-For (TRUST_PROXY); WS upgrades too. */
  trustProxy: boolean;
  cookieSecure: boolean;
  maxBodyBytes: number;
  widgetDir: string | undefined;
  demoDir: string | undefined;
}

export interface WsConfig {
  authTimeoutMs: number;
  idleTimeoutS: number;
  maxPayloadBytes: number;
  /** Per-socket send buffer; a reply holds at most a quarter of it. */
  maxBackpressureBytes: number;
  /** Bytes of replies being read and built at once on this node. */
  replyBytesInFlight: number;
  /** `send` frames per second per user on this node, and their burst. */
  sendRate: number;
  sendBurst: number;
  /** Frames of any type per second per socket, and their burst. */
  frameRate: number;
  frameBurst: number;
  maxSocketsPerUser: number;
  /** Handlers one socket may have pending; past it, `rate_limited`. */
  maxInFlight: number;
}

export interface PresenceConfig {
  ttlMs: number;
  sweepMs: number;
}

export interface RedisConfig {
  /** Unset (and no cluster): the in-memory stores (one process). */
  url: string | undefined;
  /** REDIS_CLUSTER's seed nodes: a Redis Cluster instead of one Redis. */
  cluster: { host: string; port: number }[] | undefined;
  keyPrefix: string;
  commandTimeoutMs: number;
}

export interface DatabaseConfig {
  /** Unset: SQLite under `dataDir`. */
  url: string | undefined;
  schema: string | undefined;
  dataDir: string;
}

export interface PasswordConfig {
  bcryptCost: number;
  /** Unset: a pepper file under the data directory. */
  pepper: string | undefined;
}

export interface GroupsConfig {
  /** Members of one group, at most (GROUP_MAX_MEMBERS). */
  maxMembers: number;
  /** Groups one user may be in, at most (GROUPS_MAX_PER_USER). */
  maxGroupsPerUser: number;
}

export interface ModerationConfig {
  /** Days a report is kept (REPORT_RETENTION_DAYS). */
  reportRetentionDays: number;
  /** Days a message's commitment verifies for a report of its copy (REPORT_EVIDENCE_DAYS). */
  reportEvidenceDays: number;
  /** Unset: derived from the password pepper (REPORT_SECRET). */
  reportSecret: string | undefined;
  /** Unset: the admin API does not exist (ADMIN_TOKEN). */
  adminToken: string | undefined;
}

export interface HostAuthConfig {
  /** Local registration and password sign-in (LOCAL_ACCOUNTS). */
  localAccounts: boolean;
  /** HS256 secret of host tokens (HOST_JWT_SECRET). */
  secret: string | undefined;
  /** JWKS of the host's RS256/ES256/EdDSA keys (HOST_JWKS_URL). */
  jwksUrl: string | undefined;
  /** Expected `iss` and `aud` (HOST_JWT_ISSUER, HOST_JWT_AUDIENCE); set whenever a key source is. */
  issuer: string | undefined;
  audience: string | undefined;
}

/** Groups a validated configuration; pure renaming, no defaults live here. */
export function serverOptions(c: Config): ServerOptions {
  return {
    http: {
      host: c.HOST,
      port: c.PORT,
      allowedOrigins: c.ALLOWED_ORIGINS,
      trustProxy: c.TRUST_PROXY,
      cookieSecure: c.COOKIE_SECURE,
      maxBodyBytes: c.MAX_BODY_BYTES,
      widgetDir: c.WIDGET_DIR,
      demoDir: c.DEMO_DIR,
    },
    ws: {
      authTimeoutMs: c.WS_AUTH_TIMEOUT_MS,
      idleTimeoutS: c.WS_IDLE_TIMEOUT_S,
      maxPayloadBytes: c.WS_MAX_PAYLOAD_BYTES,
      maxBackpressureBytes: c.WS_MAX_BACKPRESSURE_BYTES,
      replyBytesInFlight: c.WS_REPLY_BYTES_IN_FLIGHT,
      sendRate: c.WS_SEND_RATE,
      sendBurst: c.WS_SEND_BURST,
      frameRate: c.WS_FRAME_RATE,
      frameBurst: c.WS_FRAME_BURST,
      maxSocketsPerUser: c.WS_MAX_SOCKETS_PER_USER,
      maxInFlight: c.WS_MAX_IN_FLIGHT,
    },
    throttle: {
      maxPerAccountAndIp: c.LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP,
      maxPerAccount: c.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerIp: c.LOGIN_MAX_FAILURES_PER_IP,
      windowMs: c.LOGIN_THROTTLE_WINDOW_S * 1000,
      maxConcurrentPerAccount: c.LOGIN_MAX_CONCURRENT_PER_ACCOUNT,
      maxRegistrationsPerIp: c.REGISTER_MAX_PER_IP,
      registrationWindowMs: c.REGISTER_WINDOW_S * 1000,
    },
    presence: { ttlMs: c.PRESENCE_TTL_MS, sweepMs: c.PRESENCE_SWEEP_MS },
    redis: {
      url: c.REDIS_URL,
      cluster: c.REDIS_CLUSTER,
      keyPrefix: c.REDIS_KEY_PREFIX,
      commandTimeoutMs: c.REDIS_COMMAND_TIMEOUT_MS,
    },
    database: { url: c.DATABASE_URL, schema: c.DATABASE_SCHEMA, dataDir: c.DATA_DIR },
    passwords: { bcryptCost: c.BCRYPT_COST, pepper: c.PASSWORD_PEPPER },
    groups: { maxMembers: c.GROUP_MAX_MEMBERS, maxGroupsPerUser: c.GROUPS_MAX_PER_USER },
    moderation: {
      reportRetentionDays: c.REPORT_RETENTION_DAYS,
      reportEvidenceDays: c.REPORT_EVIDENCE_DAYS,
      reportSecret: c.REPORT_SECRET,
      adminToken: c.ADMIN_TOKEN,
    },
    hostAuth: {
      localAccounts: c.LOCAL_ACCOUNTS,
      secret: c.HOST_JWT_SECRET,
      jwksUrl: c.HOST_JWKS_URL,
      issuer: c.HOST_JWT_ISSUER,
      audience: c.HOST_JWT_AUDIENCE,
    },
    metricsToken: c.METRICS_TOKEN,
    metricsPort: c.METRICS_PORT,
    nodeId: c.NODE_ID,
  };
}
