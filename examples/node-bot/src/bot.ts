import { type Chat, ChatError, type ChatMessage, type Client } from '@ephemeral-chat/sdk';
import { replyTo } from './reply.js';

export interface BotOptions {
  client: Client;
  replyTtlMs: number;
  log?: (line: string) => void;
}

/**
 * Answers every message someone else sends the bot with how long that message has left, in a
 * reply that itself lives only `replyTtlMs`. Messages arrive for every room of the bot; a room
 * seen for the first time is opened through the chat list, which names its peer.
 */
export function startBot({ client, replyTtlMs, log = () => {} }: BotOptions): () => void {
  const chats = new Map<string, Promise<Chat | undefined>>();

  const chatFor = (room: string) => {
    let chat = chats.get(room);
    if (!chat) {
      chat = client.chats().then(async (list) => {
        // The bot answers 1:1 chats only (a group entry has no peer).
        const entry = list.find((c) => c.room === room);
        const peer = entry && 'peer' in entry ? entry.peer : undefined;
        return peer ? client.open(peer.username) : undefined;
      });
      chats.set(room, chat);
      chat.catch(() => chats.delete(room));
    }
    return chat;
  };

  const onMessage = async (m: ChatMessage) => {
    if (m.from === client.user?.id) return;
    const chat = await chatFor(m.room);
    if (!chat) return;
    try {
      await chat.send(replyTo(m.text, m.remaining()), { ttl: replyTtlMs });
      log(`answered ${chat.peer.username} (${Math.round(m.remaining() / 1000)} s left)`);
    } catch (err) {
      log(`could not answer ${chat.peer.username}: ${err instanceof ChatError ? err.code : err}`);
    }
  };

  const off = client.on('message', (m) => void onMessage(m));
  return off;
}
