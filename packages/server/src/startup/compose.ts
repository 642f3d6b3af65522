import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { ServerOptions } from '../config/server-options.js';
import { LocalHub } from '../delivery/local-hub.js';
import { createEngine } from '../engine/create-engine.js';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../logger.js';
import type { ExpirySampler } from '../metrics/expiry-sampler.js';
import { instrumentEngine } from '../metrics/instrument-engine.js';
import { ServerMetrics } from '../metrics/server-metrics.js';
import { AccountService } from '../services/accounts.js';
import { BlockService } from '../services/block-service.js';
import { ChatService } from '../services/chat-service.js';
import { GroupService } from '../services/group-service.js';
import { HostSignIn } from '../services/host-identity/host-sign-in.js';
import { hostTokenVerifier } from '../services/host-identity/host-token-verifier-from-config.js';
import { LoginThrottle } from '../services/login-throttle.js';
import { AccountDeletion } from '../services/moderation/account-deletion.js';
import { AdminService } from '../services/moderation/admin-service.js';
import { Commitment, commitmentSecret } from '../services/moderation/commitment.js';
import { ReportService } from '../services/moderation/report-service.js';
import { ReportSweep } from '../services/moderation/report-sweep.js';
import { PasswordHasher } from '../services/passwords/password-hasher.js';
import { loadPepper, type Pepper } from '../services/passwords/pepper.js';
import { PresenceService } from '../services/presence-service.js';
import { SessionService } from '../services/sessions.js';
import { UserDirectory } from '../services/user-directory.js';
import type { BlockTables } from '../stores/blocks/db-schema.js';
import { KyselyBlockStore } from '../stores/blocks/kysely-block-store.js';
import type { GroupTables } from '../stores/groups/db-schema.js';
import { KyselyGroupStore } from '../stores/groups/kysely-group-store.js';
import type { ReportTables } from '../stores/reports/db-schema.js';
import { KyselyReportStore } from '../stores/reports/kysely-report-store.js';
import { openDatabase } from '../stores/users/create-user-store.js';
import type { HostIdentityTables } from '../stores/users/host-identity-schema.js';
import { HostIdentityStore } from '../stores/users/host-identity-store.js';
import type { UserStore } from '../stores/users/user-store.js';
import { frameHandlers } from '../ws/frames/index.js';
import { UserSendBuckets } from '../ws/user-send-buckets.js';
import { WsGateway } from '../ws/ws-gateway.js';

/** Every layer of one node, built and ready to mount; nothing listens yet. */
export interface Composed {
  users: UserStore;
  groups: GroupService;
  engine: Engine;
  sessions: SessionService;
  accounts: AccountService;
  presence: PresenceService;
  hub: LocalHub;
  gateway: WsGateway;
  /** Operators' actions (the admin API; mounted only with ADMIN_TOKEN). */
  admin: AdminService;
  /** Sign-in with the host site's identity (HOST_JWT_*); refuses all while unconfigured. */
  hostSignIn: HostSignIn;
  /** Account deletion on the user's request. */
  deletion: AccountDeletion;
  /** Deletes reports past REPORT_RETENTION_DAYS (an hourly, unref'd timer; stop it on close). */
  reportSweep: ReportSweep;
  /** Prometheus metrics; undefined (and nothing measured) unless METRICS_TOKEN or METRICS_PORT is set. */
  metrics: ServerMetrics | undefined;
  /** The expiry-lag sampler's timers (with metrics on); stop it on close. */
  expirySampler: ExpirySampler | undefined;
  nodeId: string;
  dataDir: string;
  pepperSource: Pepper['source'];
}

/** Opens the stores (running migrations), then builds the services and the WS gateway on them. */
export async function compose(options: ServerOptions, logger: Logger): Promise<Composed> {
  const dataDir = resolve(options.database.dataDir);
  const database = await openDatabase({
    ...(options.database.url ? { databaseUrl: options.database.url } : {}),
    ...(options.database.schema ? { pgSchema: options.database.schema } : {}),
    dataDir,
    logger,
  });
  const { users } = database;
  let engine: Engine;
  try {
    engine = await createEngine({
      redisUrl: options.redis.url,
      redisCluster: options.redis.cluster,
      keyPrefix: options.redis.keyPrefix,
      commandTimeoutMs: options.redis.commandTimeoutMs,
      logger,
    });
  } catch (err) {
    await users.close();
    throw err;
  }

  const pepper = await loadPepper(options.passwords.pepper, dataDir);
  if (pepper.source !== 'config' && users.dialect === 'postgres') {
    logger.warn(
      { path: pepper.path },
      'PASSWORD_PEPPER is not set: using a pepper file local to this node; every node sharing the database needs the same PASSWORD_PEPPER',
    );
  }
  const hasher = new PasswordHasher(pepper.secret, options.passwords.bcryptCost);
  await hasher.warmUp();
  const sessions = new SessionService(engine.sessions, engine.bus, Date.now, (id) =>
    users.isSuspended(id),
  );
  const throttle = new LoginThrottle(engine.counters, options.throttle);
  const accounts = new AccountService(
    users,
    hasher,
    sessions,
    throttle,
    (ids) => engine.presence.onlineUsers(ids, Date.now()),
    (err) => logger.warn({ err }, 'could not store a password rehashed at the new BCRYPT_COST'),
  );

  const hostSignIn = new HostSignIn(
    hostTokenVerifier(options.hostAuth),
    new HostIdentityStore(database.db.withTables<HostIdentityTables>(), database.dialect),
    hasher,
    sessions,
  );

  const nodeId = options.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const ws = options.ws;
  // Built only when something can read it: unset, nothing is measured (no event-loop monitor,
  // no GC observer, one `?.` per frame).
  const metrics: ServerMetrics | undefined =
    options.metricsToken === undefined && options.metricsPort === undefined
      ? undefined
      : new ServerMetrics(Object.keys(frameHandlers), {
          socketCount: (): number => hub.socketCount(),
        });
  const hub: LocalHub = new LocalHub(
    ws.maxBackpressureBytes,
    metrics && ((frames) => metrics.delivered(frames, Date.now())),
  );
  const expirySampler = metrics && instrumentEngine(engine, metrics, options.redis.keyPrefix);
  const presence = new PresenceService(
    engine.presence,
    engine.bus,
    nodeId,
    {
      toWatchers: (userId, payload) => hub.deliverToWatchers(userId, payload),
      localUsers: () => hub.users(),
      watchedUsers: () => hub.watched(),
    },
    logger,
    options.presence.ttlMs,
    options.presence.sweepMs,
  );
  presence.start();
  const directory = new UserDirectory(users, undefined, engine.bus);
  const groups = new GroupService(
    new KyselyGroupStore(database.db.withTables<GroupTables>(), database.dialect),
    directory,
    engine.bus,
    {
      ...options.groups,
      onPublishError: (err) => logger.warn({ err }, 'a group change could not be announced'),
      onJoined: (room, userIds, at) => engine.messages.joinGroup(room, userIds, at),
    },
  );
  const blocks = new BlockService(
    new KyselyBlockStore(database.db.withTables<BlockTables>(), database.dialect),
    engine.bus,
    { onPublishError: (err) => logger.warn({ err }, 'a block change could not be announced') },
  );
  try {
    await directory.start();
    await groups.start();
    await blocks.start();
  } catch (err) {
    presence.stop();
    await Promise.allSettled([engine.close(), users.close()]);
    throw err;
  }
  const moderation = options.moderation;
  const commitment = new Commitment({
    secret: commitmentSecret(moderation.reportSecret, pepper.secret),
    evidenceDays: moderation.reportEvidenceDays,
  });
  if (
    moderation.reportSecret === undefined &&
    pepper.source !== 'config' &&
    users.dialect === 'postgres'
  ) {
    logger.warn(
      'REPORT_SECRET is not set and derives from a pepper file local to this node: reports of expired messages verify only on the node that sent them; set REPORT_SECRET (or PASSWORD_PEPPER) on every node',
    );
  }
  const reportStore = new KyselyReportStore(database.db.withTables<ReportTables>());
  const reports = new ReportService({
    reports: reportStore,
    messages: engine.messages,
    groups,
    directory,
    commitment,
    retentionMs: moderation.reportRetentionDays * 86_400_000,
  });
  const reportSweep = new ReportSweep(reportStore, 3_600_000, (err) =>
    logger.warn({ err }, 'could not purge expired reports'),
  );
  reportSweep.start();
  const deletion = new AccountDeletion({
    users,
    sessions,
    groups,
    messages: engine.messages,
    reports: reportStore,
    hasher,
    counters: engine.counters,
    directory,
  });
  const admin = new AdminService({ users, sessions, reports: reportStore, deletion });
  const gateway = new WsGateway({
    bus: engine.bus,
    sessions,
    groups,
    blocks,
    reports,
    chat: new ChatService(engine.messages, engine.presence, engine.bus, directory, Date.now, {
      maxBackpressureBytes: ws.maxBackpressureBytes,
      replyBytesInFlight: ws.replyBytesInFlight,
      blocks,
      groups,
      commitment,
    }),
    presence,
    hub,
    logger,
    options: ws,
    userSends: new UserSendBuckets(ws.sendRate, ws.sendBurst),
    hostSignIn,
    metrics,
  });
  const pepperSource = pepper.source;
  return {
    users,
    groups,
    engine,
    sessions,
    accounts,
    presence,
    hub,
    gateway,
    admin,
    hostSignIn,
    deletion,
    reportSweep,
    metrics,
    expirySampler,
    nodeId,
    dataDir,
    pepperSource,
  };
}
