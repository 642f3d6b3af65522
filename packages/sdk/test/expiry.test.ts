import { describe, it } from 'vitest';
import type { ChatError, ChatMessage } from '../src/index.js';
import { startChatServer, until } from './helpers/chat-server.js';

describe.concurrent('expiry through the SDK', () => {
  it('raises expired at expiresAt for a 10 s message, which no API returns after', async ({
    expect,
  }) => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const bobName = bob.user?.username ?? '';
    const chat = await alice.open(bobName);
    const bobChat = await bob.open(alice.user?.username ?? '');

    const expiredAt = new Map<string, { m: ChatMessage; at: number }>();
    alice.on('expired', (m) => expiredAt.set('alice', { m, at: alice.serverNow() }));
    bob.on('expired', (m) => expiredAt.set('bob', { m, at: bob.serverNow() }));
    const keeper = await chat.send('stays', { ttl: 60_000 });
    const short = await chat.send('gone in 10 s', { ttl: 10_000 });
    expect(short.expiresAt - short.createdAt).toBe(10_000);
    await until(() => bobChat.messages().length === 2, 'bob to hold both');

    await until(() => expiredAt.size === 2, 'both expired events', 12_000);
    for (const { m, at } of expiredAt.values()) {
      expect(m.seq).toBe(short.seq);
      expect(m.remaining()).toBe(0);
      // At its expiresAt by server time, within a small tolerance (timer latency, clock estimate).
      expect(at - short.expiresAt).toBeGreaterThanOrEqual(-20);
      expect(at - short.expiresAt).toBeLessThan(250);
    }
    const only = [keeper.seq];
    expect(chat.messages().map((m) => m.seq)).toEqual(only);
    expect(bobChat.messages().map((m) => m.seq)).toEqual(only);
    expect((await chat.history({ before: keeper.seq + 1 })).messages.map((m) => m.seq)).toEqual(
      only,
    );
    expect((await bob.open(alice.user?.username ?? '')).messages().map((m) => m.seq)).toEqual(only);
    const [summary] = await alice.chats();
    expect(summary?.last?.seq).toBe(keeper.seq);
  }, 30_000);

  it('drops a queued send that outlived its ttl, with expired, and never sends it late', async ({
    expect,
  }) => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const chat = await alice.open(bob.user?.username ?? '');

    await server.kill();
    await until(() => alice.state === 'reconnecting', 'the drop');
    const sentAt = alice.serverNow();
    const doomed = chat.send('too late', { ttl: 10_000 }).catch((e: ChatError) => e);
    const patient = chat.send('still in time', { ttl: 60_000 });
    const error = await doomed;
    expect(error).toMatchObject({ name: 'ChatError', code: 'expired' });
    expect(alice.serverNow() - sentAt).toBeGreaterThanOrEqual(9_990);
    expect(alice.serverNow() - sentAt).toBeLessThan(10_500);

    await server.start();
    const landed = await patient;
    expect(landed.text).toBe('still in time');
    const bobChat = await bob.open(alice.user?.username ?? '');
    expect(bobChat.messages().map((m) => m.text)).toEqual(['still in time']);
  }, 30_000);
});
