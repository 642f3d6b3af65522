import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { mountHandlers } from './handlers.js';
import { MessageStore } from './message-store.js';

/**
 * The baseline: a Socket.IO 4 chat server as a team would build it, with @socket.io/redis-adapter
 * so that several nodes share rooms, and messages stored in Redis with their TTL.
 * Env: HOST, PORT, REDIS_URL, REDIS_KEY_PREFIX.
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.REDIS_KEY_PREFIX ?? 'sio:';
const data = new Redis(redisUrl);
const pub = new Redis(redisUrl);
const sub = pub.duplicate();
for (const client of [data, pub, sub]) client.on('error', (err) => console.error(err.message));

const http = createServer();
const io = new Server(http, { serveClient: false, adapter: createAdapter(pub, sub) });
mountHandlers(io, new MessageStore(data, prefix));

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = http.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  console.log(JSON.stringify({ msg: `socket.io baseline listening on ${url}`, url }));
});

process.on('SIGTERM', () => {
  io.close();
  for (const client of [data, pub, sub]) client.disconnect();
  process.exit(0);
});
