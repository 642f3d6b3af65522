import type { Socket } from 'socket.io';
import { isGroupRoom, newGroupRoom } from '../rooms.js';
import type { MessageStore, SessionUser } from './message-store.js';

type Ack = (reply: unknown) => void;
/** The same cap as ours' default `GROUP_MAX_MEMBERS`. */
const GROUP_MAX_MEMBERS = 256;

/**
 * Groups as a Socket.IO team would add them: `group.create` stores the member ids in a Redis set,
 * `group.join` checks that set once and joins the socket to the group's Socket.IO room, and a
 * `send` to the room (handlers.ts) is stored like any message and emitted to the room, which the
 * redis-adapter fans out to every node with members.
 */
export function mountGroupHandlers(socket: Socket, store: MessageStore): void {
  const user = socket.data.user as SessionUser;

  socket.on('group.create', async (input: Record<string, unknown>, ack: Ack) => {
    const members = input?.members;
    if (
      !Array.isArray(members) ||
      members.length >= GROUP_MAX_MEMBERS ||
      !members.every((m): m is string => typeof m === 'string' && m.length <= 64)
    ) {
      return ack({ error: 'bad_request' });
    }
    const room = newGroupRoom();
    try {
      await store.addGroup(room, [user.id, ...members]);
      await socket.join(room);
      ack({ room });
    } catch {
      ack({ error: 'unavailable' });
    }
  });

  socket.on('group.join', async (input: Record<string, unknown>, ack: Ack) => {
    const room = input?.room;
    if (!isGroupRoom(room)) return ack({ error: 'bad_request' });
    try {
      if (!(await store.isGroupMember(room, user.id))) return ack({ error: 'forbidden' });
      await socket.join(room);
      ack({ room });
    } catch {
      ack({ error: 'unavailable' });
    }
  });
}
