import { resolve } from 'node:path';
import type { Config } from './config/config.js';
import { createEngine } from './engine/create-engine.js';
import type { Engine } from './engine/engine.js';
import { mountHttp } from './http/http-app.js';
import { OriginPolicy } from './http/origin-policy.js';
import { authRoutes } from './http/routes/auth-routes.js';
import { healthRoutes } from './http/routes/health-routes.js';
import { userRoutes } from './http/routes/user-routes.js';
import type { Logger } from './logger.js';
import { AccountService } from './services/accounts.js';
import { LoginThrottle } from './services/login-throttle.js';
import { PasswordHasher } from './services/passwords/password-hasher.js';
import { loadPepper } from './services/passwords/pepper.js';
import { SessionService } from './services/sessions.js';
import { createUserStore } from './stores/users/create-user-store.js';
import type { UserStore } from './stores/users/user-store.js';
import {
  App,
  type us_listen_socket,
  us_listen_socket_close,
  us_socket_local_port,
  uwsIsNative,
} from './uws.js';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  readonly engine: Engine;
  readonly users: UserStore;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Builds every layer from the configuration, runs migrations and starts listening. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const dataDir = resolve(config.DATA_DIR);
  const users = await createUserStore({
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    ...(config.DATABASE_SCHEMA ? { pgSchema: config.DATABASE_SCHEMA } : {}),
    dataDir,
    logger,
  });
  let engine: Engine;
  try {
    engine = await createEngine({
      redisUrl: config.REDIS_URL,
      keyPrefix: config.REDIS_KEY_PREFIX,
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      logger,
    });
  } catch (err) {
    await users.close();
    throw err;
  }

  const pepper = await loadPepper(config.PASSWORD_PEPPER, dataDir);
  if (pepper.source !== 'config' && users.dialect === 'postgres') {
    logger.warn(
      { path: pepper.path },
      'PASSWORD_PEPPER is not set: using a pepper file local to this node; every node sharing the database needs the same PASSWORD_PEPPER',
    );
  }
  const hasher = new PasswordHasher(pepper.secret, config.BCRYPT_COST);
  await hasher.warmUp();
  const sessions = new SessionService(engine);
  const throttle = new LoginThrottle(engine, {
    maxPerAccountAndIp: config.LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP,
    maxPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
    windowMs: config.LOGIN_THROTTLE_WINDOW_S * 1000,
    maxRegistrationsPerIp: config.REGISTER_MAX_PER_IP,
    registrationWindowMs: config.REGISTER_WINDOW_S * 1000,
  });
  const accounts = new AccountService(users, hasher, sessions, throttle);

  const app = App();
  mountHttp(app, {
    routes: [
      ...authRoutes(accounts, sessions, config.COOKIE_SECURE),
      ...userRoutes(accounts),
      ...healthRoutes(engine, users),
    ],
    origins: new OriginPolicy(config.ALLOWED_ORIGINS),
    sessions,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustProxy: config.TRUST_PROXY,
  });

  const listenSocket = await new Promise<us_listen_socket>((done, fail) => {
    app.listen(config.HOST, config.PORT, (socket) => {
      if (socket) done(socket);
      else
        fail(
          new Error(
            `Cannot listen on ${config.HOST}:${config.PORT} (PORT/HOST): in use or not permitted.`,
          ),
        );
    });
  }).catch(async (err: unknown) => {
    await Promise.allSettled([engine.close(), users.close()]);
    throw err;
  });
  const port = us_socket_local_port(listenSocket);
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  logger.info(
    {
      url,
      uws: uwsIsNative ? 'native' : 'fallback',
      engine: engine.kind,
      database: users.dialect,
      pepper: pepper.source,
      allowedOrigins: config.ALLOWED_ORIGINS,
    },
    `ephemeral-chat listening on ${url} — engine ${engine.kind === 'memory' ? 'MemoryEngine (embedded, one process)' : 'RedisEngine'}, database ${users.dialect === 'sqlite' ? `SQLite in ${dataDir}` : 'PostgreSQL'}, uWebSockets.js ${uwsIsNative ? 'native' : 'pure-JS fallback (slow)'}`,
  );
  if (!uwsIsNative) {
    logger.warn('uWebSockets.js native binding did not load: running the slow pure-JS fallback');
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      us_listen_socket_close(listenSocket);
      await Promise.allSettled([engine.close(), users.close()]);
      logger.info('ephemeral-chat stopped');
    })();
    return closing;
  };
  return { port, url, engine, users, close, [Symbol.asyncDispose]: close };
}
