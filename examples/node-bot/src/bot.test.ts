import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChatMessage, createClient } from '@ephemeral-chat/sdk';
import { type NodeProcess, startNodeProcess } from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBot } from './bot.js';
import { replyTo } from './reply.js';

let server: NodeProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ec-bot-'));
  server = await startNodeProcess({ DATA_DIR: dataDir, BCRYPT_COST: '4' });
});
afterAll(async () => {
  await server?.kill();
  await rm(dataDir, { recursive: true, force: true });
});

const newClient = () => createClient({ url: server.url, WebSocket });
const password = 'a long and unusual passphrase';

describe('the node bot', () => {
  it('answers a message with the time it has left, in a reply with the short TTL', async () => {
    const bot = newClient();
    await bot.register({ username: 'echo_bot', password });
    await bot.connect();
    const stop = startBot({ client: bot, replyTtlMs: 15_000 });

    const alice = newClient();
    await alice.register({ username: 'alice_bot_test', password });
    await alice.connect();
    const chat = await alice.open('echo_bot');
    const replies: ChatMessage[] = [];
    alice.on('message', (m) => {
      if (m.from !== alice.user?.id) replies.push(m);
    });
    await chat.send('how long do I have?', { ttl: 300_000 });
    await expect.poll(() => replies.length, { timeout: 5000 }).toBe(1);
    const reply = replies[0];
    expect(reply?.ttl).toBe(15_000);
    expect(reply?.text).toMatch(
      /^“how long do I have\?” has (4 min 5\d|5 min 0) s left before it disappears\.$/,
    );

    stop();
    bot.disconnect();
    alice.disconnect();
  });
});

describe('replyTo', () => {
  it.each([
    [9_400, '9 s'],
    [61_000, '1 min 1 s'],
    [3_600_000, '1 h 0 min'],
  ])('says %i ms as %s', (ms, words) => {
    expect(replyTo('hi', ms)).toBe(`“hi” has ${words} left before it disappears.`);
  });
});
