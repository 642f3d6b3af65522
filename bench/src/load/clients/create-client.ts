import type { Client, ClientEvents, Dialect, UserRef } from './client.js';
import { JsonClient } from './json-client.js';
import { SocketIoClient } from './socketio-client.js';

export function createClient(
  dialect: Dialect,
  user: UserRef,
  localAddress: string | undefined,
  events: ClientEvents,
): Client {
  if (dialect === 'socketio') return new SocketIoClient(user, localAddress, events);
  return new JsonClient(user, dialect === 'relay', localAddress, events);
}
