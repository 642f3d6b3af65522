export { type Config, ConfigError, loadConfig } from './config/config.js';
export { createLogger, type Logger } from './logger.js';
export { type RunningServer, startServer } from './server.js';
