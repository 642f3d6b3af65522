import type { Config } from './config/config.js';
import { serverOptions } from './config/server-options.js';
import type { Logger } from './logger.js';
import { compose } from './startup/compose.js';
import { listen, type RunningServer } from './startup/listen.js';
import { mountApp } from './startup/mount.js';

export type { RunningServer } from './startup/listen.js';

/** Builds every layer from the configuration, runs migrations and starts listening. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const options = serverOptions(config);
  const parts = await compose(options, logger);
  return listen(mountApp(parts, options, logger), parts, options, logger);
}
