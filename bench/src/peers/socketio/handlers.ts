import type { Server, Socket } from 'socket.io';
import { membersOf, roomFor, sendTarget } from '../rooms.js';
import { mountGroupHandlers } from './group-handlers.js';
import type { MessageStore, SessionUser } from './message-store.js';

type Ack = (reply: unknown) => void;
const MIN_TTL = 10_000;
const MAX_TTL = 86_400_000;
const HISTORY_MAX = 100;

/**
 * Token auth in the handshake, then `open`, `send` and `history` events with acks, and the
 * group events of group-handlers.ts.
 */
export function mountHandlers(io: Server, store: MessageStore): void {
  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth.token;
    if (typeof token !== 'string') return next(new Error('unauthorized'));
    try {
      const user = await store.session(token);
      if (!user) return next(new Error('unauthorized'));
      socket.data.user = user;
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  io.on('connection', (socket: Socket) => {
    const user = socket.data.user as SessionUser;
    void socket.join(`user:${user.id}`);

    socket.on('open', async (peerId: unknown, ack: Ack) => {
      if (typeof peerId !== 'string' || peerId === user.id) return ack({ error: 'bad_request' });
      const room = roomFor(user.id, peerId);
      try {
        ack({ room, messages: await store.history(room, undefined, 50) });
      } catch {
        ack({ error: 'unavailable' });
      }
    });

    mountGroupHandlers(socket, store);

    socket.on('send', async (input: Record<string, unknown>, ack: Ack) => {
      const target = sendTarget(input?.room, user.id, socket.rooms);
      const { text, ttl = 3_600_000, clientMsgId } = input ?? {};
      if (!target) return ack({ error: 'forbidden' });
      if (typeof text !== 'string' || text.trim() === '' || text.length > 4000)
        return ack({ error: 'bad_text' });
      if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < MIN_TTL || ttl > MAX_TTL)
        return ack({ error: 'bad_ttl' });
      if (typeof clientMsgId !== 'string' || clientMsgId.length > 64)
        return ack({ error: 'bad_client_msg_id' });
      try {
        const message = await store.append(input.room as string, user.id, text, ttl, clientMsgId);
        ack({ message });
        if (target.kind === 'group') io.to(target.room).emit('message', message);
        else
          io.to(`user:${target.members[0]}`)
            .to(`user:${target.members[1]}`)
            .emit('message', message);
      } catch {
        ack({ error: 'unavailable' });
      }
    });

    socket.on('history', async (input: Record<string, unknown>, ack: Ack) => {
      const members = membersOf(input?.room);
      if (!members?.includes(user.id)) return ack({ error: 'forbidden' });
      const before = typeof input.before === 'number' ? input.before : undefined;
      const limit = Math.min(Number(input.limit) || 50, HISTORY_MAX);
      try {
        ack({ messages: await store.history(input.room as string, before, limit) });
      } catch {
        ack({ error: 'unavailable' });
      }
    });
  });
}
