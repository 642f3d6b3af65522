import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connected, message, room } from '../test/helpers/scripted-client.js';
import { createClient } from './client.js';
import { ChatError, isChatError } from './errors.js';
import type { FetchLike } from './platform.js';
import { memoryTokenStore } from './token-store.js';

/** A server that answers every HTTP call with `status` and `body`, and records the paths. */
function httpServer(status: number, body: unknown) {
  const paths: string[] = [];
  const fetch: FetchLike = async (url) => {
    paths.push(new URL(url).pathname);
    return new Response(JSON.stringify(body), { status });
  };
  return { fetch, paths };
}

/** Runs `fn` on a platform without a global WebSocket, as Node 20 is. */
async function withoutGlobalWebSocket(fn: () => Promise<void>): Promise<void> {
  const g = globalThis as { WebSocket?: unknown };
  const saved = g.WebSocket;
  g.WebSocket = undefined;
  try {
    await fn();
  } finally {
    g.WebSocket = saved;
  }
}

describe('what a first script meets', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('registers over HTTP without a WebSocket, and only connect() asks for one', async () => {
    await withoutGlobalWebSocket(async () => {
      const user = { id: 'u1', username: 'alice' };
      const { fetch, paths } = httpServer(201, { user, token: 't', expiresAt: 1 });
      const tokens = memoryTokenStore();
      const client = createClient({ url: 'http://chat.test', fetch, tokenStore: tokens });
      expect(client.options.WebSocket).toBeUndefined();
      await expect(client.register({ username: 'alice', password: 'pw' })).resolves.toEqual({
        user,
        expiresAt: 1,
      });
      expect(paths).toEqual(['/api/register']);
      expect(tokens.get()).toBe('t');
      const refused = client.connect();
      await expect(refused).rejects.toMatchObject({ name: 'ChatError', code: 'invalid_options' });
      await expect(refused).rejects.toThrow(/import WebSocket from "ws"/);
      expect(client.state).toBe('idle');
    });
  });

  it('says to sign in and connect when open() comes before connect()', async () => {
    const client = createClient({ url: 'http://chat.test', fetch: httpServer(500, {}).fetch });
    await expect(client.open('bob')).rejects.toMatchObject({
      code: 'not_connected',
      message: 'Not connected (idle): sign in, then call connect() first.',
    });
  });

  it('narrows a caught error to a ChatError of one code, for "register, else sign in"', async () => {
    const { fetch } = httpServer(409, {
      error: { code: 'username_taken', message: 'That username is taken.' },
    });
    const client = createClient({ url: 'http://chat.test', fetch });
    let caught: unknown;
    try {
      await client.register({ username: 'alice', password: 'pw' });
    } catch (err) {
      caught = err;
    }
    expect(isChatError(caught)).toBe(true);
    expect(isChatError(caught, 'username_taken')).toBe(true);
    expect(isChatError(caught, 'invalid_credentials')).toBe(false);
    expect(isChatError(new Error('username_taken'), 'username_taken')).toBe(false);
    // The narrowing is what TypeScript needs: `code` is readable without a cast.
    if (isChatError(caught, 'username_taken')) expect(caught.code).toBe('username_taken');
    expect(caught).toBeInstanceOf(ChatError);
  });

  it("names a 1:1 message's sender: the peer or the signed-in user", async () => {
    const { client, chat } = await connected();
    const theirs = chat.messages()[0];
    if (!theirs) throw new Error('no message');
    expect(chat.sender(theirs)).toMatchObject({ id: 'u2', username: 'bob' });
    expect(chat.sender({ ...message(2), from: 'u1' })).toEqual({ id: 'u1', username: 'alice' });
    expect(chat.sender({ from: 'someone-else' })).toBeUndefined();
    expect(chat.room).toBe(room);
    client.disconnect();
  });

  it("names a group message's sender from the members, and no one who has left", async () => {
    const { client, socket } = await connected();
    const g = 'g:00000000-0000-4000-8000-000000000001';
    const member = (id: string, username: string) => ({ id, username, admin: false, joinedAt: 1 });
    const opening = client.openGroup(g);
    socket().push({
      type: 'group.opened',
      id: socket().last('group.open').id,
      room: g,
      group: {
        room: g,
        name: 'crew',
        createdAt: 1,
        members: [member('u1', 'alice'), member('u3', 'carol')],
      },
      messages: [],
      hasMore: false,
      unread: 0,
      reads: [],
      online: [],
      settings: {},
    });
    const chat = await opening;
    expect(chat.sender({ from: 'u3' })).toMatchObject({ id: 'u3', username: 'carol' });
    expect(chat.sender({ from: 'u1' })?.username).toBe('alice');
    expect(chat.sender({ from: 'u9' })).toBeUndefined();
    client.disconnect();
  });
});
