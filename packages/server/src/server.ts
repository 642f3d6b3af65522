import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeCodes } from '@ephemeral-chat/protocol';
import type { Config } from './config/config.js';
import { createEngine } from './engine/create-engine.js';
import type { Engine } from './engine/engine.js';
import { mountHttp } from './http/http-app.js';
import { OriginPolicy } from './http/origin-policy.js';
import { authRoutes } from './http/routes/auth-routes.js';
import { healthRoutes } from './http/routes/health-routes.js';
import { staticRoutes } from './http/routes/static-routes.js';
import { userRoutes } from './http/routes/user-routes.js';
import type { Logger } from './logger.js';
import { AccountService } from './services/accounts.js';
import { ChatService } from './services/chat-service.js';
import { LoginThrottle } from './services/login-throttle.js';
import { PasswordHasher } from './services/passwords/password-hasher.js';
import { loadPepper } from './services/passwords/pepper.js';
import { PresenceService } from './services/presence-service.js';
import { SessionService } from './services/sessions.js';
import { UserDirectory } from './services/user-directory.js';
import { createUserStore } from './stores/users/create-user-store.js';
import type { UserStore } from './stores/users/user-store.js';
import {
  App,
  type us_listen_socket,
  us_listen_socket_close,
  us_socket_local_port,
  uwsIsNative,
} from './uws.js';
import { LocalHub } from './ws/local-hub.js';
import { UserSendBuckets } from './ws/user-send-buckets.js';
import { mountWs } from './ws/ws-app.js';
import { WsGateway } from './ws/ws-gateway.js';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  readonly engine: Engine;
  readonly users: UserStore;
  readonly nodeId: string;
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
    maxConcurrentPerAccount: config.LOGIN_MAX_CONCURRENT_PER_ACCOUNT,
    maxRegistrationsPerIp: config.REGISTER_MAX_PER_IP,
    registrationWindowMs: config.REGISTER_WINDOW_S * 1000,
  });
  const accounts = new AccountService(
    users,
    hasher,
    sessions,
    throttle,
    (ids) => engine.onlineUsers(ids, Date.now()),
    (err) => logger.warn({ err }, 'could not store a password rehashed at the new BCRYPT_COST'),
  );

  const nodeId = config.NODE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const hub = new LocalHub(config.WS_MAX_BACKPRESSURE_BYTES);
  const presence = new PresenceService(
    engine,
    nodeId,
    {
      toWatchers: (userId, payload) => hub.deliverToWatchers(userId, payload),
      localUsers: () => hub.users(),
      watchedUsers: () => hub.watched(),
    },
    logger,
    config.PRESENCE_TTL_MS,
    config.PRESENCE_SWEEP_MS,
  );
  presence.start();
  const origins = new OriginPolicy(config.ALLOWED_ORIGINS);
  const gateway = new WsGateway({
    engine,
    sessions,
    chat: new ChatService(engine, new UserDirectory(users), Date.now, {
      maxBackpressureBytes: config.WS_MAX_BACKPRESSURE_BYTES,
      replyBytesInFlight: config.WS_REPLY_BYTES_IN_FLIGHT,
    }),
    presence,
    hub,
    logger,
    authTimeoutMs: config.WS_AUTH_TIMEOUT_MS,
    maxSocketsPerUser: config.WS_MAX_SOCKETS_PER_USER,
    maxInFlight: config.WS_MAX_IN_FLIGHT,
    userSends: new UserSendBuckets(config.WS_SEND_RATE, config.WS_SEND_BURST),
  });

  const app = App();
  mountWs(app, gateway, {
    origins,
    trustProxy: config.TRUST_PROXY,
    idleTimeoutS: config.WS_IDLE_TIMEOUT_S,
    maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
    maxBackpressureBytes: config.WS_MAX_BACKPRESSURE_BYTES,
    frameRate: config.WS_FRAME_RATE,
    frameBurst: config.WS_FRAME_BURST,
    logger,
  });
  mountHttp(app, {
    routes: [
      ...authRoutes(accounts, sessions, config.COOKIE_SECURE),
      ...userRoutes(accounts),
      ...healthRoutes(engine, users),
      ...staticRoutes({
        widgetDir: resolve(
          config.WIDGET_DIR ?? fileURLToPath(new URL('../../widget/dist', import.meta.url)),
        ),
        demoDir: resolve(
          config.DEMO_DIR ?? fileURLToPath(new URL('../../../examples/demo', import.meta.url)),
        ),
      }),
    ],
    origins,
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
    presence.stop();
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
      nodeId,
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
      presence.stop();
      // Tell watchers on other nodes now, rather than when the presence marks lapse.
      const local = hub.users();
      hub.closeAll(closeCodes.going_away.code, 'server shutting down');
      await Promise.allSettled(local.map((id) => presence.userDisconnected(id)));
      await Promise.allSettled([engine.close(), users.close()]);
      logger.info('ephemeral-chat stopped');
    })();
    return closing;
  };
  return { port, url, engine, users, nodeId, close, [Symbol.asyncDispose]: close };
}
