import type { Message, ServerFrame } from '@ephemeral-chat/protocol';
import { expect, vi } from 'vitest';
import { createClient } from '../../src/client.js';
import type { ClientOptions } from '../../src/options.js';
import { memoryTokenStore } from '../../src/token-store.js';
import { fakeWebSocket } from './fake-socket.js';

export const room = 'dm:u1:u2';
export const peer = { id: 'u2', username: 'bob', online: true };

export function message(seq: number, ttl = 60_000, at = Date.now()): Message {
  return {
    room,
    seq,
    from: 'u2',
    text: `m${seq}`,
    clientMsgId: `c${seq}`,
    createdAt: at,
    ttl,
    expiresAt: at + ttl,
  };
}

/** A client on fake sockets, connected and welcomed, with the chat with bob open. */
export async function connected(
  options: Partial<ClientOptions> & {
    firstSeq?: number;
    hasMore?: boolean;
    /** Overrides of the `opened` reply (receipts, counts, settings, messages). */
    opened?: Partial<Extract<ServerFrame, { type: 'opened' }>>;
  } = {},
) {
  const { firstSeq = 1, hasMore = false, opened = {}, ...clientOptions } = options;
  const { WebSocket, sockets } = fakeWebSocket();
  const client = createClient({
    url: 'http://chat.test',
    WebSocket,
    fetch: () => Promise.reject(new Error('no HTTP in this test')),
    tokenStore: memoryTokenStore('token-1'),
    reconnectBaseDelayMs: 100,
    reconnectMaxDelayMs: 1000,
    ...clientOptions,
  });
  const states: string[] = [];
  client.on('state', (s) => states.push(s));
  const ready = client.connect();
  await vi.advanceTimersByTimeAsync(0);
  const first = sockets[0];
  if (!first) throw new Error('no socket');
  first.accept();
  first.welcome();
  await ready;
  const opening = client.open('bob');
  first.push({
    type: 'opened',
    id: first.last('open').id,
    room,
    peer,
    messages: [message(firstSeq)],
    hasMore,
    unread: 0,
    peerReadSeq: 0,
    peerDeliveredSeq: 0,
    unseenExpired: 0,
    settings: {},
    ...opened,
  });
  const chat = await opening;
  /** The socket in use now. */
  const socket = () => {
    const s = sockets.at(-1);
    if (!s) throw new Error('no socket');
    return s;
  };
  /** Drops the socket and lets the client reconnect; returns the new one, accepted. */
  const reconnect = async (code = 1006) => {
    const before = sockets.length;
    socket().drop(code);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets.length).toBe(before + 1);
    socket().accept();
    return socket();
  };
  return { client, chat, sockets, states, socket, reconnect };
}
