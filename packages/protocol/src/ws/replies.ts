import type { ClientFrame } from './client-frames.js';
import type { ServerFrame } from './server-frames.js';

/** The client frames that carry an `id` and so get an answer (all but `typing` and `delivered`). */
export type RequestType = Extract<ClientFrame, { id: number }>['type'];

/** Checks at compile time that every request has a reply and every reply is a server frame. */
type Complete<M extends { [T in RequestType]: ServerFrame['type'] }> = M;

/**
 * For each request frame type, the type of the server frame that answers it (echoing its `id`).
 * Any request may be answered by an `error` frame with its `id` instead.
 */
export type ReplyMap = Complete<{
  auth: 'welcome';
  open: 'opened';
  send: 'ack';
  history: 'history';
  resume: 'resumed';
  presence: 'presence';
  read: 'read';
  settings: 'settings';
  unsend: 'unsent';
  chats: 'chats';
  ping: 'pong';
  'group.create': 'group';
  'group.add': 'group';
  'group.remove': 'group';
  'group.leave': 'group.left';
  'group.rename': 'group';
  'group.admin': 'group';
  'group.get': 'group';
  'group.open': 'group.opened';
  groups: 'groups';
  block: 'blocked';
  unblock: 'unblocked';
  blocks: 'blocks';
  report: 'reported';
}>;

/** The server frame that answers a request of type `T`: `ReplyTo<'send'>` is the ack. */
export type ReplyTo<T extends RequestType> = Extract<ServerFrame, { type: ReplyMap[T] }>;
