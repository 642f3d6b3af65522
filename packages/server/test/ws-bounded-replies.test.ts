import { closeCodes, limits, type Message, serverFrameSchema } from '@ephemeral-chat/protocol';
import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** 600 messages of 4,000 four-byte characters: about 10 MB, ten times the default send buffer. */
const COUNT = 600;
const TEXT = '😀'.repeat(limits.messageMaxLength);
const CAP = limits.replyMaxBytes;
/** Sends per round: their acks and echoes stay well inside the sender's 1 MiB send buffer. */
const ROUND = 20;

/** Every frame a socket receives, with its size in bytes as it came off the wire. */
function recordSizes(socket: TestSocket): number[] {
  const sizes: number[] = [];
  socket.ws.on('message', (data: Buffer) => sizes.push(data.length));
  return sizes;
}

describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('replies bounded in bytes with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let room: string;
  let sent: Message[];

  beforeAll(async () => {
    server = await startTestServer({
      redis,
      env: {
        WS_SEND_RATE: '100000',
        WS_SEND_BURST: '1000',
        WS_FRAME_RATE: '100000',
        WS_FRAME_BURST: '1000',
        // 16 replies' worth: past it reads are refused, not queued.
        WS_REPLY_BYTES_IN_FLIGHT: String(16 * CAP),
      },
    });
    [alice, bob] = await Promise.all([registerUser(server, 'alice'), registerUser(server, 'bob')]);
    const a = await TestSocket.authed(server.url, alice.token);
    const opened = await a.request({ type: 'open', username: bob.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    room = opened.room;
    sent = [];
    for (let i = 0; i < COUNT; i += ROUND) {
      const acks = await Promise.all(
        Array.from({ length: ROUND }, (_, j) =>
          a.request({ type: 'send', room, text: TEXT, clientMsgId: `fill-${i + j}` }, 10_000),
        ),
      );
      for (const ack of acks) {
        if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
        sent.push(ack.message);
      }
    }
    await a.close();
  }, 60_000);
  afterAll(() => server?.close());

  it('answers 100 parallel resumes of a 10 MB room on 25 sockets with replies within the cap and keeps serving', async () => {
    // 25 sockets (13 of alice's, 12 of bob's) × 4 resumes: four full replies fill a send buffer.
    const sockets = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        TestSocket.authed(server.url, (i % 2 ? bob : alice).token),
      ),
    );
    const sizes = sockets.map(recordSizes);
    const outcomes = await Promise.all(
      sockets.map(async (s) => {
        const asks = Array.from({ length: 4 }, () =>
          s.request({ type: 'resume', room, after: 0 }, 15_000).catch(() => undefined),
        );
        // A client that asks for more than its send buffer holds at once may be cut off as a
        // slow consumer (4008, documented) and resume after reconnecting; nothing else.
        return Promise.race([Promise.all(asks), s.closed]);
      }),
    );
    let resumed = 0;
    for (const outcome of outcomes) {
      if (!Array.isArray(outcome)) {
        expect(outcome.code).toBe(closeCodes.slow_consumer.code);
        continue;
      }
      for (const reply of outcome) {
        // A node at its reply budget refuses with rate_limited; it never grows instead.
        if (reply?.type === 'error') expect(reply.error.code).toBe('rate_limited');
        else {
          expect(reply).toMatchObject({ type: 'resumed', hasMore: true });
          resumed++;
        }
      }
    }
    expect(resumed).toBeGreaterThan(0);
    for (const size of sizes.flat()) expect(size).toBeLessThanOrEqual(CAP);
    // The node is still serving.
    await Promise.all(sockets.map((s) => s.close()));
    const after = await TestSocket.authed(server.url, bob.token);
    expect(await after.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    await after.close();
  }, 30_000);

  it('recovers every message exactly once, in order, by paging resume while hasMore', async () => {
    const b = await TestSocket.authed(server.url, bob.token);
    const sizes = recordSizes(b);
    const got: number[] = [];
    let pages = 0;
    for (let after = 0, more = true; more; pages++) {
      const reply = serverFrameSchema.parse(await b.request({ type: 'resume', room, after }));
      if (reply.type !== 'resumed') throw new Error(JSON.stringify(reply));
      got.push(...reply.messages.map((m) => m.seq));
      more = reply.hasMore;
      after = reply.messages.at(-1)?.seq ?? after;
    }
    expect(got).toEqual(sent.map((m) => m.seq));
    expect(pages).toBeGreaterThan(COUNT / 20);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(CAP);
    await b.close();
  }, 30_000);

  it('bounds opened, and pages history back by before to recover every message', async () => {
    const b = await TestSocket.authed(server.url, bob.token);
    const sizes = recordSizes(b);
    const opened = await b.request({ type: 'open', username: alice.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    expect(opened.hasMore).toBe(true);
    expect(opened.messages.length).toBeGreaterThan(0);
    const got = opened.messages.map((m) => m.seq);
    for (let more = opened.hasMore; more; ) {
      const before = got[0];
      const reply = await b.request({ type: 'history', room, before, limit: 100 });
      if (reply.type !== 'history') throw new Error(JSON.stringify(reply));
      got.unshift(...reply.messages.map((m) => m.seq));
      more = reply.hasMore;
    }
    expect(got).toEqual(sent.map((m) => m.seq));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(CAP);
    await b.close();
  }, 30_000);

  it('lists chats with a preview of each last message', async () => {
    const b = await TestSocket.authed(server.url, bob.token);
    const chats = await b.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error(JSON.stringify(chats));
    expect(chats.hasMore).toBe(false);
    expect(chats.chats).toHaveLength(1);
    const last = chats.chats[0]?.last;
    expect(last).toMatchObject({ room, seq: sent.at(-1)?.seq });
    expect(Array.from(last?.text ?? '')).toHaveLength(limits.chatPreviewMaxLength);
    await b.close();
  });
});
