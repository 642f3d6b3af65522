/**
 * One worker process of `WORKERS=N` (forked by primary.ts; not an entry point of its own). It
 * waits for the primary's `start` message, then runs a complete node — its own NODE_ID, Redis
 * connections and bus tag — listening on the port every worker shares (SO_REUSEPORT).
 */
import { createLogger, type Logger } from '../logger.js';
import type { RunningServer } from '../server.js';
import type { FromWorker, ToWorker } from './messages.js';
import { isToWorker } from './messages.js';
import { WorkerMetrics } from './worker-metrics.js';

const send = (message: FromWorker): void => {
  if (process.connected) process.send?.(message);
};

if (!process.send) {
  console.error('worker-main runs only as a worker of WORKERS>1 (started by the server itself).');
  process.exit(1);
}

let server: RunningServer | undefined;
let logger: Logger | undefined;
let metrics: WorkerMetrics | undefined;
let stopping = false;

/** Closes gracefully (sockets get going-away, in-flight sends settle), then exits 0. */
const stop = (why: string): void => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  try {
    logger?.info({ why }, 'worker shutting down');
  } catch {
    // nothing to report to
  }
  void (server?.close() ?? Promise.resolve()).then(() => {
    logger?.flush();
    process.exit(0);
  });
};

async function start({ index, config: cfg }: ToWorker & { type: 'start' }): Promise<void> {
  logger = createLogger({ level: cfg.LOG_LEVEL, format: cfg.LOG_FORMAT }).child({ worker: index });
  try {
    const { startServer } = await import('../server.js');
    server = await startServer(cfg, logger);
  } catch (err) {
    logger.fatal({ err }, (err as Error).message);
    logger.flush();
    setTimeout(() => process.exit(1), 100);
    return;
  }
  if (server.metrics) metrics = new WorkerMetrics(server.metrics, index, send);
  send({ type: 'ready', port: server.port, nodeId: server.nodeId });
}

process.on('message', (message: unknown) => {
  if (!isToWorker(message)) return;
  switch (message.type) {
    case 'start':
      if (logger === undefined) void start(message);
      return;
    case 'stop':
      stop('primary asked');
      return;
    case 'metrics-collect':
      void metrics?.collect(message.id);
      return;
    case 'metrics-reply':
      metrics?.reply(message);
      return;
  }
});
// The primary is gone (killed, crashed): do not serve on alone.
process.on('disconnect', () => stop('primary gone'));
// A direct SIGTERM (an operator, systemd's control-group kill) closes this worker gracefully.
// SIGINT is what a terminal sends the whole process group on Ctrl-C: the primary coordinates it.
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => {});
