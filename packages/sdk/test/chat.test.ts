import { describe, expect, it } from 'vitest';
import type { ChatMessage, ConnectionState } from '../src/index.js';
import { newName, password, startChatServer, until } from './helpers/chat-server.js';

describe('SDK against the real server', () => {
  it('registers, logs in, searches, opens a chat and receives messages in real time', async () => {
    await using server = await startChatServer();
    const alice = server.client();
    const bob = server.client();
    const aliceName = newName('alice');
    const bobName = newName('bob');
    const registered = await alice.register({ username: aliceName, password });
    expect(registered.user.username).toBe(aliceName);
    await bob.register({ username: bobName, password });
    // Log in again, as a returning user would: a new token replaces the first.
    const loggedIn = await alice.login({ username: aliceName, password });
    expect(loggedIn.user.id).toBe(registered.user.id);
    expect((await alice.me()).user.username).toBe(aliceName);

    const found = await alice.searchUsers(bobName.slice(0, 12));
    expect(found.map((u) => u.username)).toContain(bobName);

    const states: ConnectionState[] = [];
    alice.on('state', (s) => states.push(s));
    await Promise.all([alice.connect(), bob.connect()]);
    expect(states).toEqual(['connecting', 'open']);
    expect(alice.user?.username).toBe(aliceName);
    expect(Math.abs(alice.clockOffset)).toBeLessThan(1000);

    const bobGot: ChatMessage[] = [];
    bob.on('message', (m) => bobGot.push(m));
    const typing: boolean[] = [];
    bob.on('typing', (e) => typing.push(e.typing));

    const chat = await alice.open(bobName);
    expect(chat.peer).toMatchObject({ username: bobName, online: true });
    chat.typing(true);
    const sent = await chat.send('hello bob', { ttl: 60_000 });
    expect(sent).toMatchObject({ text: 'hello bob', ttl: 60_000, from: registered.user.id });
    expect(sent.expiresAt).toBe(sent.createdAt + 60_000);
    expect(sent.remaining()).toBeGreaterThan(58_000);
    expect(sent.remaining()).toBeLessThanOrEqual(60_000);

    await until(() => bobGot.length === 1, 'bob to receive the message');
    expect(bobGot[0]).toMatchObject({ room: chat.room, seq: sent.seq, text: 'hello bob' });
    expect(typing).toEqual([true]);

    const bobChat = await bob.open(aliceName);
    expect(bobChat.room).toBe(chat.room);
    const reply = await bobChat.send('hi alice');
    expect(reply.seq).toBe(sent.seq + 1);
    expect(reply.ttl).toBe(3_600_000);
    await until(() => chat.messages().length === 2, 'alice to hold both messages');
    expect(chat.messages().map((m) => m.text)).toEqual(['hello bob', 'hi alice']);

    const list = await bob.chats();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ room: chat.room, peer: { username: aliceName } });
    expect(list[0]?.last?.text).toBe('hi alice');
  });

  it('pages back through history and watches presence', async () => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const bobName = bob.user?.username ?? '';
    const chat = await alice.open(bobName);
    const sent: ChatMessage[] = [];
    for (let i = 1; i <= 12; i++) sent.push(await chat.send(`n${i}`));
    expect(sent.map((m) => m.seq)).toEqual(sent.map((_, i) => (sent[0]?.seq ?? 0) + i));

    const carol = await server.user('carol');
    await expect(carol.open('no_such_user_here')).rejects.toMatchObject({ code: 'user_not_found' });

    // A second device of alice's: `open` brings the newest page, `history` the older ones.
    const device = server.client({ tokenStore: alice.options.tokenStore });
    await device.connect();
    const again = await device.open(bobName);
    expect(again.messages().map((m) => m.text)).toEqual(sent.map((m) => m.text));
    expect(again.hasMore).toBe(false);
    expect(await again.history()).toEqual({ messages: [], hasMore: false });
    const older = await again.history({ before: sent[7]?.seq ?? 0, limit: 5 });
    expect(older.messages.map((m) => m.text)).toEqual(['n3', 'n4', 'n5', 'n6', 'n7']);
    expect(older.hasMore).toBe(true);
    const oldest = await again.history({ before: older.messages[0]?.seq ?? 0, limit: 5 });
    expect(oldest.messages.map((m) => m.text)).toEqual(['n1', 'n2']);
    expect(oldest.hasMore).toBe(false);

    const bobId = bob.user?.id ?? '';
    const seen: { userId: string; online: boolean }[] = [];
    alice.on('presence', (e) => seen.push(e));
    expect(await alice.watch([bobId])).toEqual([bobId]);
    bob.disconnect();
    await until(() => seen.length > 0, 'bob to go offline');
    expect(seen[0]).toEqual({ userId: bobId, online: false });
  });

  it('ends in unauthorized after logout, with no reconnect loop', async () => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const other = server.client({ tokenStore: alice.options.tokenStore });
    await other.connect();
    const states: ConnectionState[] = [];
    other.on('state', (s) => states.push(s));
    await alice.logout();
    expect(alice.state).toBe('closed');
    await until(() => other.state === 'unauthorized', 'the other connection to be refused');
    await new Promise((r) => setTimeout(r, 1500));
    expect(states).toEqual(['unauthorized']);
    await expect(alice.me()).rejects.toMatchObject({ code: 'auth_required' });
  });

  it('answers session() with the user when signed in and null when not, forgetting a stale token', async () => {
    await using server = await startChatServer();
    expect(await server.client().session()).toBeNull();
    const alice = await server.user('alice');
    const tokens = alice.options.tokenStore;
    const mine = await alice.session();
    expect(mine?.user.username).toBe(alice.user?.username);
    expect(mine?.session.expiresAt).toBeGreaterThan(Date.now());

    const stale = await tokens.get();
    await alice.logout();
    await tokens.set(stale ?? '');
    expect(await alice.session()).toBeNull();
    expect(await tokens.get()).toBeUndefined();
  });

  it('reports its own logout as closed, never as unauthorized', async () => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const states: ConnectionState[] = [];
    alice.on('state', (s) => states.push(s));
    await alice.logout();
    await new Promise((r) => setTimeout(r, 300));
    expect(states).toEqual(['closed']);
  });

  it('forgets the signed-out user’s chats and messages, so the next user on the device sees none', async () => {
    await using server = await startChatServer();
    const device = server.client();
    const bob = server.client();
    const [aliceName, bobName, carolName] = [newName('alice'), newName('bob'), newName('carol')];
    await bob.register({ username: bobName, password });
    await device.register({ username: aliceName, password });
    await device.connect();
    const chat = await device.open(bobName);
    await chat.send('private to bob', { ttl: 60_000 });
    expect(chat.messages()).toHaveLength(1);

    await device.logout();
    expect(chat.messages()).toEqual([]);
    expect(device.user).toBeUndefined();

    const errors: string[] = [];
    device.on('error', (e) => errors.push(e.code));
    await device.register({ username: carolName, password });
    await device.connect();
    expect(device.user?.username).toBe(carolName);
    await new Promise((r) => setTimeout(r, 300));
    expect(errors).toEqual([]);
    expect(chat.messages()).toEqual([]);
    expect(await device.chats()).toEqual([]);
  });
});
