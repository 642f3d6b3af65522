import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { loadPepper } from '../services/passwords/pepper.js';
import { type FromWorker, isFromWorker, type MetricsJson, type ToWorker } from './messages.js';

const workerMain = fileURLToPath(new URL('./worker-main.js', import.meta.url));

/** Restarts of one worker within this window count towards giving up. */
const crashWindowMs = 60_000;
/** A worker that dies this often within the window is crash-looping: the primary stops all. */
const maxCrashes = 5;
/** First restart delay, doubled per recent crash, capped. */
const firstBackoffMs = 250;
const maxBackoffMs = 8000;
/** A scrape's aggregate waits this long for each worker's registry, then merges what came. */
const collectTimeoutMs = 2000;

export interface PrimaryOptions {
  /** Forked for each worker; tests may point it elsewhere. */
  workerMain?: string;
}

interface Slot {
  readonly index: number;
  child: ChildProcess | undefined;
  ready: boolean;
  crashes: number[];
}

interface Collection {
  waiting: Set<number>;
  results: MetricsJson[];
  done(): void;
}

/**
 * Runs WORKERS=N: forks N worker processes that each run a full node on the same port (the
 * kernel spreads connections over their listening sockets, SO_REUSEPORT), resolves once for all
 * of them what a node would otherwise make up per process (the port when PORT=0, the password
 * pepper, the node id), restarts a worker that dies with a back-off, stops them all gracefully
 * on SIGTERM/SIGINT, and merges their metrics for a scrape that lands on any of them.
 */
export async function runPrimary(
  config: Config,
  baseLogger: Logger,
  count: number,
  options: PrimaryOptions = {},
): Promise<void> {
  const logger = baseLogger.child({ role: 'primary' });
  const port = config.PORT === 0 ? await freePort(config.HOST) : config.PORT;
  // One pepper for all: without PASSWORD_PEPPER each process would read (or race to create) the
  // file itself; resolved here once, and REPORT_SECRET (derived from it when unset) follows.
  const pepper = await loadPepper(config.PASSWORD_PEPPER, resolve(config.DATA_DIR));
  if (pepper.source !== 'config' && /^postgres/i.test(config.DATABASE_URL ?? '')) {
    logger.warn(
      { path: pepper.path },
      'PASSWORD_PEPPER is not set: using a pepper file local to this host; every node sharing the database needs the same PASSWORD_PEPPER',
    );
  }
  const baseId = config.NODE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const configFor = (index: number): Config =>
    Object.freeze({
      ...config,
      PORT: port,
      PASSWORD_PEPPER: pepper.secret.toString('utf8'),
      NODE_ID: `${baseId}-w${index}`,
      WORKERS: 1,
    });

  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    child: undefined,
    ready: false,
    crashes: [],
  }));
  let stopping = false;
  const collections = new Map<number, Collection>();
  let nextCollection = 1;

  const post = (slot: Slot, message: ToWorker): void => {
    if (slot.child?.connected) slot.child.send(message);
  };

  /** Every ready worker's registry, merged; workers that do not answer in time are left out. */
  const aggregate = async (): Promise<string> => {
    const id = nextCollection++;
    const live = slots.filter((s) => s.ready && s.child?.connected);
    const results = await new Promise<MetricsJson[]>((done) => {
      const collection: Collection = {
        waiting: new Set(live.map((s) => s.index)),
        results: [],
        done: () => {
          clearTimeout(timer);
          collections.delete(id);
          done(collection.results);
        },
      };
      const timer = setTimeout(() => {
        logger.warn(
          { workers: [...collection.waiting] },
          'metrics: workers did not answer in time; the aggregate leaves them out',
        );
        collection.done();
      }, collectTimeoutMs);
      collections.set(id, collection);
      if (collection.waiting.size === 0) collection.done();
      for (const slot of live) post(slot, { type: 'metrics-collect', id });
    });
    return AggregatorRegistry.aggregate(results).metrics();
  };

  const onMessage = (slot: Slot, message: FromWorker, whenReady: () => void): void => {
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        logger.info(
          { worker: slot.index, pid: slot.child?.pid, nodeId: message.nodeId, port: message.port },
          'worker ready',
        );
        whenReady();
        return;
      case 'metrics-json': {
        const collection = collections.get(message.id);
        if (!collection?.waiting.delete(slot.index)) return;
        collection.results.push(message.json);
        if (collection.waiting.size === 0) collection.done();
        return;
      }
      case 'metrics-request':
        aggregate().then(
          (text) => post(slot, { type: 'metrics-reply', id: message.id, text }),
          (err: unknown) =>
            post(slot, { type: 'metrics-reply', id: message.id, error: String(err) }),
        );
        return;
    }
  };

  /** Forks one worker; resolves when it listens, rejects if it exits first. */
  const spawn = (slot: Slot): Promise<void> =>
    new Promise<void>((ready, failed) => {
      const child = fork(options.workerMain ?? workerMain, [], {
        // Logs go straight to this process' stdout/stderr; the channel carries control only.
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      slot.child = child;
      slot.ready = false;
      let listening = false;
      child.on('message', (m: unknown) => {
        if (!isFromWorker(m)) return;
        onMessage(slot, m, () => {
          listening = true;
          ready();
        });
      });
      child.on('error', (err) => {
        // Not forked at all (no exit follows), or a message that could not be sent.
        logger.error({ worker: slot.index, err: String(err) }, 'worker process error');
        if (child.pid === undefined) failed(err);
      });
      child.once('exit', (code, signal) => {
        slot.child = undefined;
        slot.ready = false;
        // A collection still waiting on this worker must not wait for the timeout.
        for (const collection of collections.values()) {
          if (collection.waiting.delete(slot.index) && collection.waiting.size === 0) {
            collection.done();
          }
        }
        if (!listening) failed(new Error(exitText(slot.index, code, signal)));
        if (listening && !stopping) onCrash(slot, code, signal);
      });
      child.send({ type: 'start', index: slot.index, config: configFor(slot.index) });
    });

  const onCrash = (slot: Slot, code: number | null, signal: NodeJS.Signals | null): void => {
    const now = Date.now();
    slot.crashes = [...slot.crashes.filter((t) => now - t < crashWindowMs), now];
    if (slot.crashes.length >= maxCrashes) {
      logger.fatal(
        { worker: slot.index, code, signal, crashes: slot.crashes.length },
        `worker ${slot.index} died ${slot.crashes.length} times within ${crashWindowMs / 1000} s: giving up`,
      );
      void stopAll(1);
      return;
    }
    const delay = Math.min(maxBackoffMs, firstBackoffMs * 2 ** (slot.crashes.length - 1));
    logger.error(
      { worker: slot.index, code, signal, restartInMs: delay },
      `${exitText(slot.index, code, signal)}; restarting it`,
    );
    setTimeout(() => {
      if (stopping) return;
      spawn(slot).then(
        () => logger.info({ worker: slot.index, pid: slot.child?.pid }, 'worker restarted'),
        (err: unknown) => {
          // It died before listening: count it as another crash.
          if (!stopping) {
            logger.error({ worker: slot.index, err: String(err) }, 'worker restart failed');
            onCrash(slot, null, null);
          }
        },
      );
    }, delay).unref();
  };

  /** Every worker closes (in parallel), then this process exits with `code`. */
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // First the deadline: a log write can fail and must not leave the process running.
    const force = setTimeout(() => {
      for (const slot of slots) slot.child?.kill('SIGKILL');
      process.exit(1);
    }, 10_000);
    force.unref();
    await Promise.all(
      slots.map(
        (slot) =>
          new Promise<void>((exited) => {
            const child = slot.child;
            if (!child || child.exitCode !== null || child.signalCode !== null) return exited();
            child.once('exit', () => exited());
            if (child.connected) child.send({ type: 'stop' } satisfies ToWorker);
            else child.kill('SIGTERM');
          }),
      ),
    );
    try {
      logger.info({ workers: count }, 'ephemeral-chat stopped (all workers)');
      logger.flush();
    } catch {
      // nothing to report to
    }
    process.exit(code);
  };

  const onSignal = (signal: string): void => {
    if (stopping) return;
    try {
      logger.info({ signal }, 'shutting down all workers');
    } catch {
      // nothing to report to
    }
    void stopAll(0);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  try {
    // The first worker alone runs the migrations and creates the data directory's files; the
    // others start once it listens, in parallel.
    const [first, ...rest] = slots;
    if (first) await spawn(first);
    await Promise.all(rest.map((slot) => spawn(slot)));
  } catch (err) {
    logger.fatal({ err: String(err) }, 'a worker failed to start: stopping the others');
    await stopAll(1);
    return;
  }
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info(
    { url, port, workers: count, pids: slots.map((s) => s.child?.pid), pepper: pepper.source },
    `ephemeral-chat listening on ${url} with ${count} workers (one port, SO_REUSEPORT)`,
  );
}

function exitText(index: number, code: number | null, signal: NodeJS.Signals | null): string {
  return `worker ${index} exited (${signal ? `signal ${signal}` : `code ${code}`})`;
}

/** PORT=0: one free port for every worker (each listening on 0 would get a port of its own). */
function freePort(host: string): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? done(address.port)
          : fail(new Error('no free port')),
      );
    });
  });
}
