import { fileURLToPath } from 'node:url';
import type { BenchRedis } from './redis.js';
import { type RunningProcess, spawnNode } from './spawn-process.js';

const socketIoMain = fileURLToPath(new URL('../peers/socketio/main.js', import.meta.url));
const relayMain = fileURLToPath(new URL('../peers/relay/main.js', import.meta.url));

/** The Socket.IO 4 baseline (redis-adapter, messages in Redis) as its own process. */
export function startSocketIo(redis: BenchRedis): Promise<RunningProcess> {
  return spawnNode(socketIoMain, {
    HOST: '127.0.0.1',
    PORT: '0',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `${redis.prefix}sio:`,
  });
}

/** The bare uWebSockets.js relay (the ceiling: stores nothing) as its own process. */
export function startRelay(): Promise<RunningProcess> {
  return spawnNode(relayMain, { HOST: '127.0.0.1', PORT: '0' });
}
