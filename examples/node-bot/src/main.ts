#!/usr/bin/env node
import { ChatError, createClient } from '@ephemeral-chat/sdk';
import WebSocket from 'ws';
import { startBot } from './bot.js';
import { readSettings } from './settings.js';

let settings: ReturnType<typeof readSettings>;
try {
  settings = readSettings();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

const log = (line: string) => console.log(`[bot] ${line}`);
// Node 20 has no global WebSocket: the SDK takes the one from `ws`.
const client = createClient({ url: settings.url, WebSocket });
const credentials = { username: settings.username, password: settings.password };

try {
  await client.login(credentials);
} catch (err) {
  if (!(err instanceof ChatError) || err.code !== 'invalid_credentials') throw err;
  log(`no account ${settings.username} yet: registering it`);
  await client.register(credentials);
}
client.on('state', (state) => log(`connection ${state}`));
await client.connect();
startBot({ client, replyTtlMs: settings.replyTtlMs, log });
log(`${settings.username} is listening on ${settings.url}`);

const stop = () => {
  client.disconnect();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
