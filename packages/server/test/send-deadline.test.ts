import type { ServerFrame } from '@ephemeral-chat/protocol';
import {
  dropSchema,
  type OwnRedis,
  registerUser,
  requirePostgres,
  startOwnRedis,
  startTestServer,
  type TestServer,
  TestSocket,
  testDatabaseUrl,
  uniquePrefix,
  uniqueSchemaName,
} from '@ephemeral-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Faults injected: Redis frozen (SIGSTOP) while sends are in flight, for 2 s (> the 1 s command
// timeout) and for 12 s (> the message's 10 s TTL). Counted: sends answered `unavailable` that were
// stored anyway, and messages delivered live or readable after their expiresAt.
const prefix = uniquePrefix();
const schema = uniqueSchemaName();
let redis: OwnRedis;
let nodeA: TestServer;
let nodeB: TestServer;
let alice: TestSocket;
let bob: TestSocket;
let room: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(text: string, ttl = 60_000): Promise<ServerFrame> {
  return alice.request({ type: 'send', room, text, ttl, clientMsgId: text }, 5_000);
}

/** Every text alice can read back in the room. */
async function storedTexts(): Promise<string[]> {
  const page = await alice.request({ type: 'history', room, limit: 100 });
  if (page.type !== 'history') throw new Error(JSON.stringify(page));
  return page.messages.map((m) => m.text);
}

/** Every string value under the prefix that contains `text`: what a late write would leave behind. */
async function keysHolding(text: string): Promise<string[]> {
  const raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  raw.on('error', () => {});
  try {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      for (const key of keys) {
        if ((await raw.type(key)) === 'string' && (await raw.get(key))?.includes(text))
          found.push(key);
      }
      cursor = next;
    } while (cursor !== '0');
    return found;
  } finally {
    raw.disconnect();
  }
}

const liveTexts = () => bob.frames.flatMap((f) => (f.type === 'message' ? [f.message.text] : []));

beforeAll(async () => {
  await requirePostgres();
  redis = await startOwnRedis();
  // Two nodes on one Redis (same key prefix) and one user database: alice on A, bob on B.
  const env = {
    REDIS_KEY_PREFIX: prefix,
    DATABASE_URL: testDatabaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_COMMAND_TIMEOUT_MS: '1000',
  };
  nodeA = await startTestServer({ redis: redis.url, env });
  nodeB = await startTestServer({ redis: redis.url, env });
  const [a, b] = await Promise.all([registerUser(nodeA, 'alice'), registerUser(nodeA, 'bob')]);
  alice = await TestSocket.authed(nodeA.url, a.token);
  bob = await TestSocket.authed(nodeB.url, b.token);
  const opened = await alice.request({ type: 'open', username: b.username });
  if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
  room = opened.room;
  expect(await send('warm-up')).toMatchObject({ type: 'ack' });
  await bob.next((f) => f.type === 'message' && f.message.text === 'warm-up');
}, 20_000);

afterAll(async () => {
  redis?.cont();
  await Promise.all([alice?.close(), bob?.close()]);
  await Promise.all([nodeA?.close(), nodeB?.close()]);
  await redis?.[Symbol.asyncDispose]();
  await dropSchema(schema);
});

describe('a send that its caller was told failed', () => {
  it('is never stored when Redis stalls longer than the command timeout', async () => {
    redis.stop();
    const answers = await Promise.all(
      ['short-1', 'short-2', 'short-3'].map(async (text, i) => {
        await sleep(i * 300);
        return [text, await send(text)] as const;
      }),
    );
    await sleep(2_000 - 600);
    redis.cont();
    const failed = answers.filter(([, f]) => f.type === 'error').map(([text]) => text);
    for (const [, frame] of answers) {
      if (frame.type === 'error') expect(frame.error.code).toBe('unavailable');
    }
    expect(failed.length).toBeGreaterThan(0);
    // Redis works through the queued scripts: each must find its deadline passed.
    await expect.poll(storedTexts, { timeout: 5_000 }).toContain('warm-up');
    await sleep(300);
    const stored = await storedTexts();
    expect(failed.filter((t) => stored.includes(t))).toEqual([]);
    expect(failed.filter((t) => liveTexts().includes(t))).toEqual([]);
  }, 15_000);

  it('neither reaches the peer on another node nor stays readable when Redis stalls past its TTL', async () => {
    redis.stop();
    const started = Date.now();
    const answer = await send('late', 10_000);
    expect(answer).toMatchObject({ type: 'error', error: { code: 'unavailable' } });
    await sleep(12_000 - (Date.now() - started));
    redis.cont();
    await expect.poll(storedTexts, { timeout: 5_000 }).toContain('warm-up');
    await sleep(500);
    expect(liveTexts()).not.toContain('late');
    expect(await keysHolding('late')).toEqual([]);
    expect(await storedTexts()).not.toContain('late');
  }, 25_000);
});

describe('a read mark that its caller was told failed', () => {
  it('never takes effect: no read seq moved, no burn started, no event, when Redis stalls past the timeout', async () => {
    const ack = await alice.request(
      { type: 'send', room, text: 'burn-me', ttl: 60_000, burn: 5_000, clientMsgId: 'burn-me' },
      5_000,
    );
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    const seq = ack.message.seq;
    await bob.next((f) => f.type === 'message' && f.message.text === 'burn-me');
    redis.stop();
    const answer = await bob.request({ type: 'read', room, seq }, 5_000);
    await sleep(2_000);
    redis.cont();
    expect(answer).toMatchObject({ type: 'error', error: { code: 'unavailable' } });
    await expect.poll(storedTexts, { timeout: 5_000 }).toContain('burn-me');
    await sleep(300);
    // The late script found its deadline passed: the message keeps its expiry, nobody heard of a read.
    const page = await alice.request({ type: 'history', room, limit: 100 });
    if (page.type !== 'history') throw new Error(JSON.stringify(page));
    expect(page.messages.find((m) => m.seq === seq)?.expiresAt).toBe(ack.message.expiresAt);
    const events = [...alice.frames, ...bob.frames].filter(
      (f) =>
        (f.type === 'read' && f.seq === seq && !('id' in f && f.id !== undefined)) ||
        f.type === 'expiry',
    );
    expect(events).toEqual([]);
    const chats = await bob.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error(JSON.stringify(chats));
    expect(chats.chats.find((c) => c.room === room)?.unread).toBeGreaterThan(0);
  }, 20_000);
});

describe.each([
  ['memory', false],
  ['redis', true],
] as const)('live delivery on the %s engine', (_name, useRedis) => {
  it('drops a message event whose expiresAt has passed, and delivers one still live', async () => {
    await using server = await startTestServer({ redis: useRedis });
    const user = await registerUser(server, 'late');
    const socket = await TestSocket.authed(server.url, user.token);
    const now = Date.now();
    const event = (text: string, expiresAt: number) =>
      JSON.stringify({
        type: 'message',
        message: {
          room: `dm:${user.id}:${user.id}`,
          seq: 1,
          from: user.id,
          text,
          clientMsgId: text,
          createdAt: expiresAt - 10_000,
          ttl: 10_000,
          expiresAt,
        },
      });
    // What a late publish looks like: a frame whose message is already gone.
    await server.engine.bus.publish(`user:${user.id}`, event('expired', now - 1));
    await server.engine.bus.publish(`user:${user.id}`, event('live', now + 10_000));
    const first = await socket.next((f) => f.type === 'message');
    expect(first).toMatchObject({ message: { text: 'live' } });
    expect(socket.frames.filter((f) => f.type === 'message')).toEqual([]);
    await socket.close();
  });
});
