import { closeCodes } from '@ephemeral-chat/protocol';
import type { ServerOptions } from '../config/server-options.js';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../logger.js';
import { listenMetrics, type MetricsListener } from '../metrics/metrics-listener.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { UserStore } from '../stores/users/user-store.js';
import {
  type TemplatedApp,
  type us_listen_socket,
  us_listen_socket_close,
  us_socket_local_port,
  uwsIsNative,
} from '../uws.js';
import type { Composed } from './compose.js';

export interface RunningServer {
  readonly port: number;
  readonly url: string;
  readonly engine: Engine;
  readonly users: UserStore;
  readonly nodeId: string;
  /** This node's metrics (METRICS_TOKEN set), for a WORKERS primary to merge; else undefined. */
  readonly metrics: ServerMetrics | undefined;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Listens on HOST:PORT, says what runs, and returns the handle that shuts it all down. */
export async function listen(
  app: TemplatedApp,
  parts: Composed,
  options: ServerOptions,
  logger: Logger,
): Promise<RunningServer> {
  const { engine, users, presence, hub, nodeId } = parts;
  const { host, port: wanted } = options.http;
  const listenSocket = await new Promise<us_listen_socket>((done, fail) => {
    app.listen(host, wanted, (socket) => {
      if (socket) done(socket);
      else
        fail(new Error(`Cannot listen on ${host}:${wanted} (PORT/HOST): in use or not permitted.`));
    });
  }).catch(async (err: unknown) => {
    presence.stop();
    parts.reportSweep.stop();
    await Promise.allSettled([engine.close(), users.close()]);
    throw err;
  });
  const port = us_socket_local_port(listenSocket);
  // METRICS_PORT: /metrics without a token on a second listener, same HOST.
  let metricsListener: MetricsListener | undefined;
  if (parts.metrics && options.metricsPort !== undefined) {
    const metrics = parts.metrics;
    metricsListener = await listenMetrics(
      options.metricsPort,
      host,
      () => metrics.source(),
      logger,
    ).catch(async (err: unknown) => {
      us_listen_socket_close(listenSocket);
      presence.stop();
      parts.reportSweep.stop();
      parts.expirySampler?.stop();
      await Promise.allSettled([engine.close(), users.close()]);
      throw err;
    });
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  logger.info(
    {
      url,
      uws: uwsIsNative ? 'native' : 'fallback',
      engine: engine.kind,
      nodeId,
      database: users.dialect,
      pepper: parts.pepperSource,
      allowedOrigins: options.http.allowedOrigins,
      ...(metricsListener ? { metricsPort: metricsListener.port } : {}),
    },
    `ephemeral-chat listening on ${url} — engine ${engine.kind === 'memory' ? 'MemoryEngine (embedded, one process)' : 'RedisEngine'}, database ${users.dialect === 'sqlite' ? `SQLite in ${parts.dataDir}` : 'PostgreSQL'}, uWebSockets.js ${uwsIsNative ? 'native' : 'pure-JS fallback (slow)'}`,
  );
  if (!uwsIsNative) {
    logger.warn('uWebSockets.js native binding did not load: running the slow pure-JS fallback');
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      us_listen_socket_close(listenSocket);
      metricsListener?.close();
      parts.expirySampler?.stop();
      presence.stop();
      parts.reportSweep.stop();
      // Tell watchers on other nodes now, rather than when the presence marks lapse.
      const local = hub.users();
      hub.closeAll(closeCodes.going_away.code, 'server shutting down');
      await Promise.allSettled(local.map((id) => presence.userDisconnected(id)));
      await Promise.allSettled([engine.close(), users.close()]);
      logger.info('ephemeral-chat stopped');
    })();
    return closing;
  };
  return {
    port,
    url,
    engine,
    users,
    nodeId,
    metrics: parts.metrics,
    close,
    [Symbol.asyncDispose]: close,
  };
}
