import { limits } from '@ephemeral-chat/protocol/constants';
import { describe, expect, it } from 'vitest';
import { isChatError } from '../src/index.js';
import { newName, password, startChatServer } from './helpers/chat-server.js';

describe('errors from the real server, as the SDK surfaces them', () => {
  it('says the length limit when a message is too long, and sends one at the limit', async () => {
    await using server = await startChatServer();
    const alice = await server.user('alice');
    const bob = await server.user('bob');
    const chat = await alice.open(bob.user?.username ?? '');
    const max = limits.messageMaxLength;
    // Code points, not UTF-16 units: 4,000 emoji are 8,000 units and still fit.
    await expect(chat.send('🙂'.repeat(max))).resolves.toMatchObject({ text: '🙂'.repeat(max) });
    const refused = chat.send('🙂'.repeat(max + 1));
    await expect(refused).rejects.toMatchObject({
      code: 'message_too_long',
      message: `Messages have at most ${max} characters.`,
    });
    await expect(chat.send('a'.repeat(max * 3))).rejects.toThrow(`at most ${max} characters`);
  });

  it('lets "register, else sign in" tell a taken username from other failures', async () => {
    await using server = await startChatServer();
    const username = newName('returning');
    await server.client().register({ username, password });
    const again = server.client();
    const signIn = async () => {
      try {
        return await again.register({ username, password });
      } catch (err) {
        if (!isChatError(err, 'username_taken')) throw err;
        return again.login({ username, password });
      }
    };
    await expect(signIn()).resolves.toMatchObject({ user: { username } });
    await expect(again.me()).resolves.toMatchObject({ user: { username } });
  });
});
