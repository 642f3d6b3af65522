import { describe, expect, it } from 'vitest';
import { newName, password, startChatServer, until } from './helpers/chat-server.js';

describe('blocking, reporting and account deletion against the real server', () => {
  it('blocks with the neutral error both ways, lists the block, and unblocks', async () => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const bobName = bob.user?.username ?? '';
    const toBob = await alice.open(bobName);
    const toAlice = await bob.open(alice.user?.username ?? '');

    await alice.block(bob.user?.id ?? '');
    const refused = { code: 'blocked', message: "You can't message this user." };
    await expect(toAlice.send('hello?')).rejects.toMatchObject(refused);
    await expect(toBob.send('and you?')).rejects.toMatchObject(refused);
    expect(await alice.blocks()).toEqual([{ id: bob.user?.id, username: bobName }]);
    expect(await bob.blocks()).toEqual([]);

    await alice.unblock(bob.user?.id ?? '');
    expect(await alice.blocks()).toEqual([]);
    await expect(toAlice.send('better now')).resolves.toMatchObject({ text: 'better now' });
  });

  it('reports a live message, and one its sender unsent from the copy kept for reporting', async () => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const chat = await alice.open(bob.user?.username ?? '');
    const fromBob = await bob.open(alice.user?.username ?? '');
    const live = await fromBob.send('first', { ttl: 60_000 });
    const gone = await fromBob.send('second', { ttl: 60_000 });
    await until(() => chat.messages().length === 2, 'alice to hold both');
    expect(chat.messages().every((m) => m.mac)).toBe(true);

    const id = await alice.report({ room: chat.room, seq: live.seq }, 'spam', { comment: 'ads' });
    expect(id).toMatch(/\S/);
    // Reported twice: the same report.
    expect(await alice.report(live, 'spam')).toBe(id);

    await fromBob.unsend(gone.seq);
    await until(() => chat.messages().length === 1, 'the unsent message to leave');
    expect(alice.reportable(chat.room)).toEqual([
      expect.objectContaining({ seq: live.seq, live: true }),
      expect.objectContaining({ seq: gone.seq, live: false }),
    ]);
    // The server holds nothing of it now: only the verified copy can make this report.
    const fromCopy = await alice.report({ room: chat.room, seq: gone.seq }, 'harassment');
    expect(fromCopy).not.toBe(id);

    await expect(bob.report(live, 'spam')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a report of a gone message without a copy', async () => {
    await using server = await startChatServer();
    const alice = server.client();
    const aliceName = newName('alice');
    await alice.register({ username: aliceName, password });
    const bob = await server.user('bob');
    const fromBob = await bob.open(aliceName);
    const sent = await fromBob.send('soon gone', { ttl: 60_000 });
    await fromBob.unsend(sent.seq);
    // Alice was not connected while it lived: she holds no copy to send.
    await alice.connect();
    await expect(alice.report(sent, 'spam')).rejects.toMatchObject({ code: 'message_expired' });
  });

  it('deletes the account only with the right password, and signs the user out', async () => {
    await using server = await startChatServer();
    const name = newName('leaver');
    const alice = server.client();
    await alice.register({ username: name, password });
    await alice.connect();
    await expect(alice.deleteAccount('not the password')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(alice.state).toBe('open');
    await alice.deleteAccount(password);
    expect(['closed', 'unauthorized']).toContain(alice.state);
    expect(alice.user).toBeUndefined();
    expect(await alice.session()).toBeNull();
    await expect(alice.login({ username: name, password })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });
});
