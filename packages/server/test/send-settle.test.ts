import { createHash, randomUUID } from 'node:crypto';
import { type OwnRedis, startOwnRedis, uniquePrefix } from '@ephemeral-chat/testkit';
import { type Command, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus } from '../src/engine/bus/redis-bus.js';
import { APPEND } from '../src/engine/messages/append-scripts.js';
import type { AppendInput } from '../src/engine/messages/message-store.js';
import { RedisMessageStore } from '../src/engine/messages/redis-message-store.js';
import { connectRedis } from '../src/engine/redis/redis-client.js';
import { roomKeys } from '../src/engine/redis/redis-keys.js';

// Faults injected: the reply of a send script that ran in Redis never reaches the node (it sees
// "Connection is closed" or "Command timed out" instead), once with Redis answering again at
// once and once with Redis frozen (SIGSTOP) for longer than the settle budget. Counted: sends
// answered failed that are stored or readable, and stored sends answered failed.
const TIMEOUT_MS = 300;
const prefix = uniquePrefix();
const logger = { warn: () => {}, info: () => {} };
let redis: OwnRedis;
let commands: Redis;
let subscriber: Redis;
let raw: Redis;
let messages: RedisMessageStore;
let pubsub: RedisBus;
/** Set by a test: runs once the next send script has really run, then fails the node's call. */
let lose: (() => Error) | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes the next send script run on Redis, then reports `lose()` to the node instead of its
 * reply: what a node sees when Redis dies (or freezes) between running a script and replying.
 */
function patchReplies(client: Redis): void {
  const appendSha = createHash('sha1').update(APPEND).digest('hex');
  const realSend = client.sendCommand.bind(client);
  client.sendCommand = ((command: Command, stream?: unknown) => {
    const fault = lose;
    const script = command.name === 'evalsha' || command.name === 'eval' ? command.args[0] : '';
    if (fault && (script === appendSha || script === APPEND)) {
      lose = undefined;
      const reject = command.reject;
      command.resolve = () => reject(fault());
    }
    return realSend(command, stream as never);
  }) as typeof client.sendCommand;
}

const pair = () => {
  const id = randomUUID().slice(0, 8);
  const [a, b] = [`a${id}`, `b${id}`];
  return { a, b, room: `dm:${a}:${b}` };
};

const input = (p: ReturnType<typeof pair>, clientMsgId: string): AppendInput => ({
  room: p.room,
  members: [p.a, p.b],
  from: p.a,
  text: `text of ${clientMsgId}`,
  ttl: 60_000,
  clientMsgId,
  now: Date.now(),
});

const texts = async (p: ReturnType<typeof pair>) =>
  (await messages.readBefore(p.room, undefined, 100, Date.now())).messages.map((m) => m.text);

beforeAll(async () => {
  redis = await startOwnRedis();
  const options = { url: redis.url, commandTimeoutMs: TIMEOUT_MS, logger };
  commands = await connectRedis({ ...options, role: 'commands' });
  subscriber = await connectRedis({ ...options, role: 'subscriber' });
  patchReplies(commands);
  pubsub = new RedisBus(commands, subscriber, prefix, logger);
  messages = new RedisMessageStore(commands, prefix, pubsub, logger);
  raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  raw.on('error', () => {});
});

afterAll(async () => {
  redis?.cont();
  raw?.disconnect();
  commands?.disconnect();
  subscriber?.disconnect();
  await redis?.[Symbol.asyncDispose]();
});

describe('a send whose script ran but whose reply was lost', () => {
  it('is acknowledged, not answered unavailable, when Redis answers again within the budget', async () => {
    const p = pair();
    const live: string[] = [];
    await pubsub.subscribe(`user:${p.b}`, (frame) => live.push(frame));
    lose = () => new Error('Connection is closed.');
    const result = await messages.append(input(p, 'lost-reply'));
    // Delivered live on this node, as a send acked the ordinary way is.
    expect(live).toEqual([`{"type":"message","message":${result.json}}`]);
    expect(result).toMatchObject({
      duplicate: false,
      message: { text: 'text of lost-reply', clientMsgId: 'lost-reply' },
    });
    expect(await texts(p)).toEqual(['text of lost-reply']);
    // A retry with the same clientMsgId gets the same message back, stored once.
    const retry = await messages.append(input(p, 'lost-reply'));
    expect(retry).toMatchObject({ duplicate: true, message: { seq: result.message.seq } });
  });

  it('is answered unavailable, and undone once Redis is back, when Redis stays frozen past the budget', async () => {
    const p = pair();
    const key = roomKeys(prefix, p.room).message(p.a, 'frozen');
    lose = () => {
      redis.stop();
      return new Error('Command timed out');
    };
    const started = Date.now();
    await expect(messages.append(input(p, 'frozen'))).rejects.toMatchObject({
      code: 'unavailable',
    });
    await sleep(Math.max(0, 3_000 - (Date.now() - started)));
    redis.cont();
    // Same connection as the undo attempts queued during the stall: Redis runs them first.
    expect(await texts(p)).toEqual([]);
    await expect.poll(() => raw.exists(key), { timeout: 5_000 }).toBe(0);
    expect(await texts(p)).toEqual([]);
    // The id is free again: a retry stores the message anew.
    expect(await messages.append(input(p, 'frozen'))).toMatchObject({ duplicate: false });
  }, 15_000);

  it('is answered unavailable and never stored when the script did not run before its deadline', async () => {
    const p = pair();
    redis.stop();
    const started = Date.now();
    await expect(messages.append(input(p, 'stalled'))).rejects.toMatchObject({
      code: 'unavailable',
    });
    await sleep(Math.max(0, 2_000 - (Date.now() - started)));
    redis.cont();
    await sleep(200);
    expect(await texts(p)).toEqual([]);
    expect(await raw.exists(roomKeys(prefix, p.room).message(p.a, 'stalled'))).toBe(0);
  }, 10_000);

  it('keeps a copy it answered unavailable once a retry of that send is acked with it', async () => {
    const p = pair();
    const key = roomKeys(prefix, p.room).message(p.a, 'acked-later');
    lose = () => {
      redis.stop();
      return new Error('Command timed out');
    };
    const first = input(p, 'acked-later');
    await expect(messages.append(first)).rejects.toMatchObject({ code: 'unavailable' });
    redis.cont();
    // The retry and the undo race on one connection: whichever Redis runs first, what the
    // sender is finally told matches what stays stored.
    const retry = await messages.append(input(p, 'acked-later')).catch((err: Error) => err);
    await sleep(1_500);
    const stored = await raw.get(key);
    if (retry instanceof Error) expect(stored).toBeNull();
    else expect(stored).toBe(retry.json);
  }, 10_000);

  it('undoes a send that Redis stored just before it was killed, once it is back from its AOF', async () => {
    const p = pair();
    const key = roomKeys(prefix, p.room).message(p.a, 'killed');
    let killed: Promise<void> = Promise.resolve();
    lose = () => {
      killed = redis.kill();
      return new Error('Connection is closed.');
    };
    await expect(messages.append(input(p, 'killed'))).rejects.toMatchObject({
      code: 'unavailable',
    });
    await killed;
    await redis.start();
    await expect.poll(() => raw.exists(key).catch(() => -1), { timeout: 8_000 }).toBe(0);
    expect(await texts(p)).toEqual([]);
  }, 15_000);
});
