import { describe, it } from 'vitest';
import type { ChatMessage, ExpiryEvent, MessageState, SettingsEvent } from '../src/index.js';
import { startChatServer, until } from './helpers/chat-server.js';

describe.concurrent('receipts, burn after reading, settings and unseen counts (real server)', () => {
  it('shows the sender sent, delivered and seen, and burns the message on both sides after the read', async ({
    expect,
  }) => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const chat = await alice.open(bob.user?.username ?? '');
    const bobChat = await bob.open(alice.user?.username ?? '');
    const states: MessageState[] = [];
    const expiries: { who: string; e: ExpiryEvent }[] = [];
    alice.on('expiry', (e) => expiries.push({ who: 'alice', e }));
    bob.on('expiry', (e) => expiries.push({ who: 'bob', e }));
    const expired = new Map<string, { m: ChatMessage; at: number }>();
    chat.on('expired', (m) => expired.set('alice', { m, at: alice.serverNow() }));
    bobChat.on('expired', (m) => expired.set('bob', { m, at: bob.serverNow() }));

    const sent = await chat.send('read me and I burn', { ttl: 60_000, burn: 5_000 });
    expect(sent.burn).toBe(5_000);
    states.push(chat.stateOf(sent));
    // Bob's client received it and said so by itself.
    await until(() => chat.stateOf(sent) === 'delivered', 'delivered');
    states.push(chat.stateOf(sent));
    expect(chat.peerDeliveredSeq).toBeGreaterThanOrEqual(sent.seq);
    expect(bobChat.unread).toBe(1);

    const readAt = bob.serverNow();
    expect(await bobChat.markRead()).toBe(sent.seq);
    expect(bobChat.unread).toBe(0);
    await until(() => chat.stateOf(sent) === 'seen', 'seen');
    states.push(chat.stateOf(sent));
    expect(states).toEqual(['sent', 'delivered', 'seen']);

    await until(() => expiries.length === 2, 'an expiry event for each member');
    for (const { e } of expiries) {
      expect(e).toMatchObject({ room: chat.room, seq: sent.seq });
      expect(e).not.toHaveProperty('text');
      expect(e.expiresAt - readAt).toBeGreaterThanOrEqual(4_000);
      expect(e.expiresAt - readAt).toBeLessThanOrEqual(6_000);
    }
    const burnsAt = expiries[0]?.e.expiresAt ?? 0;
    expect(chat.messages()[0]?.expiresAt).toBe(burnsAt);
    expect(chat.messages()[0]?.remaining()).toBeLessThanOrEqual(5_000);

    await until(() => expired.size === 2, 'both to drop it', 8_000);
    for (const { m, at } of expired.values()) {
      expect(m.seq).toBe(sent.seq);
      expect(at - burnsAt).toBeGreaterThanOrEqual(-20);
      expect(at - burnsAt).toBeLessThan(250);
    }
    expect(chat.messages()).toEqual([]);
    expect(bobChat.messages()).toEqual([]);
    expect(chat.stateOf(sent)).toBe('seen');
    // No path brings it back.
    expect((await chat.history({ before: sent.seq + 1 })).messages).toEqual([]);
    const again = await bob.open(alice.user?.username ?? '');
    expect(again.messages()).toEqual([]);
  }, 30_000);

  it('shares chat settings with both members, and a send that leaves them out uses them', async ({
    expect,
  }) => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const chat = await alice.open(bob.user?.username ?? '');
    const bobChat = await bob.open(alice.user?.username ?? '');
    const seenByBob: SettingsEvent[] = [];
    bobChat.on('settings', (e) => seenByBob.push(e));
    const seenByAlice: SettingsEvent[] = [];
    chat.on('settings', (e) => seenByAlice.push(e));

    expect(chat.settings).toEqual({});
    expect(await chat.setSettings({ ttl: 30_000, burn: 10_000 })).toEqual({
      ttl: 30_000,
      burn: 10_000,
    });
    await until(() => seenByBob.length === 1 && seenByAlice.length === 1, 'both settings events');
    expect(seenByBob[0]).toMatchObject({
      room: chat.room,
      settings: { ttl: 30_000, burn: 10_000 },
      by: alice.user?.id,
    });
    expect(bobChat.settings).toEqual({ ttl: 30_000, burn: 10_000 });

    const m = await bobChat.send('defaults from the chat');
    expect(m).toMatchObject({ ttl: 30_000, burn: 10_000 });
    expect((await bob.open(alice.user?.username ?? '')).settings).toEqual({
      ttl: 30_000,
      burn: 10_000,
    });

    await bobChat.setSettings({ burn: null });
    await until(() => chat.settings.burn === undefined, 'burn off for alice');
    expect(chat.settings).toEqual({ ttl: 30_000 });
    await expect(chat.setSettings({ ttl: 10_000, burn: 30_000 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  }, 30_000);

  it('counts messages that expired unread, lists the chat for it, and a read resets it everywhere', async ({
    expect,
  }) => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const aliceName = alice.user?.username ?? '';
    const bobChat = await bob.open(aliceName);
    await bobChat.send('one you will miss', { ttl: 10_000 });
    await bobChat.send('and another', { ttl: 10_000 });
    // Alice's client holds them live (no chat open), and counts nothing yet.
    await until(() => alice.state === 'open', 'alice connected');
    await new Promise((r) => setTimeout(r, 10_500));

    const [row] = await alice.chats();
    expect(row).toMatchObject({ room: bobChat.room, unread: 0, unseenExpired: 2 });
    expect(row?.last).toBeUndefined();

    const device = server.client({ tokenStore: alice.options.tokenStore });
    await device.connect();
    const resets: number[] = [];
    device.on('unseen', (e) => resets.push(e.unseenExpired));

    const chat = await alice.open(bob.user?.username ?? '');
    expect([chat.unread, chat.unseenExpired]).toEqual([0, 2]);
    expect(chat.messages()).toEqual([]);
    await chat.markRead();
    await until(() => chat.unseenExpired === 0, 'the count reset for alice');
    await until(() => resets.includes(0), 'the reset on the other device');
    expect(await alice.chats()).toEqual([]);
  }, 30_000);
});
