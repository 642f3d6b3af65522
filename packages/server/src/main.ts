#!/usr/bin/env node
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { workerCount, workerPlanProblems } from './workers/plan.js';

let config: ReturnType<typeof loadConfig>;
let workers: number;
try {
  config = loadConfig();
  workers = workerCount(config.WORKERS);
  const problems = workerPlanProblems(config, workers);
  if (problems.length > 0) throw new ConfigError(problems);
} catch (err) {
  // Before a logger exists: say plainly which variable is wrong, and stop.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}

const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });

if (workers > 1) {
  // WORKERS=N: this process only supervises; N forked workers serve (see workers/primary.ts).
  try {
    const { runPrimary } = await import('./workers/primary.js');
    await runPrimary(config, logger, workers);
  } catch (err) {
    logger.fatal({ err }, (err as Error).message);
    logger.flush();
    setTimeout(() => process.exit(1), 100);
  }
} else {
  try {
    const { startServer } = await import('./server.js');
    const server = await startServer(config, logger);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      // First the deadline: a log write can fail (stdout gone with its parent) and must not
      // leave the process running.
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      try {
        logger.info({ signal }, 'shutting down');
      } catch {
        // nothing to report to
      }
      void server.close().then(() => {
        logger.flush();
        process.exit(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  } catch (err) {
    logger.fatal({ err }, (err as Error).message);
    logger.flush();
    setTimeout(() => process.exit(1), 100);
  }
}
