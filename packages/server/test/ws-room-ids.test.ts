import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A 1:1 room has exactly one id: its members' ids sorted. Any other spelling is not a room. */
describe.each([
  { name: 'MemoryEngine', redis: false },
  { name: 'RedisEngine', redis: true },
])('room ids with $name', ({ redis }) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ redis });
    [alice, bob] = await Promise.all([registerUser(server, 'alice'), registerUser(server, 'bob')]);
  });
  afterAll(() => server.close());

  it('refuses the reversed id of a room to its own members on every frame', async () => {
    const a = await TestSocket.authed(server.url, alice.token);
    const opened = await a.request({ type: 'open', username: bob.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const [, first, second] = opened.room.split(':');
    const twin = `dm:${second}:${first}`;
    expect(twin).not.toBe(opened.room);

    const frames = [
      { type: 'send', room: twin, text: 'hi', clientMsgId: 'twin-1' },
      { type: 'history', room: twin },
      { type: 'resume', room: twin, after: 0 },
    ];
    for (const frame of frames) {
      const reply = await a.request(frame);
      expect(reply, frame.type).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    }
    a.send({ type: 'typing', room: twin, typing: true });
    const chats = await a.request({ type: 'chats' });
    if (chats.type !== 'chats') throw new Error(JSON.stringify(chats));
    expect(chats.chats.filter((c) => c.room === twin)).toEqual([]);
    await a.close();
  });
});
