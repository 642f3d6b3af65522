import { closeCodes } from '@ephemeral-chat/protocol';
import type { Socket } from './connection.js';
import { SetMap } from './set-map.js';

/**
 * This node's authenticated sockets by user, and the sockets watching each user's presence.
 * Delivery goes socket by socket rather than through uWS topics: a topic publish silently drops
 * a message for a socket past its backpressure limit, while here such a socket is closed with
 * `slow_consumer` and will resume from its last seq — nothing is lost without the client knowing.
 */
export class LocalHub {
  readonly #byUser = new SetMap<string, Socket>();
  readonly #watchers = new SetMap<string, Socket>();

  constructor(private readonly maxBackpressure: number) {}

  /** Adds a socket; true when it is the user's first on this node. */
  add(userId: string, ws: Socket): boolean {
    return this.#byUser.add(userId, ws);
  }

  /** Removes a socket; true when it was the user's last on this node. */
  remove(userId: string, ws: Socket): boolean {
    return this.#byUser.remove(userId, ws);
  }

  users(): string[] {
    return this.#byUser.keys();
  }

  socketsOf(userId: string): ReadonlySet<Socket> {
    return this.#byUser.get(userId);
  }

  /** Starts watching; true when it is the first watcher of that user on this node. */
  watch(userId: string, ws: Socket): boolean {
    return this.#watchers.add(userId, ws);
  }

  /** Stops watching; true when no socket on this node watches that user any more. */
  unwatch(userId: string, ws: Socket): boolean {
    return this.#watchers.remove(userId, ws);
  }

  watched(): string[] {
    return this.#watchers.keys();
  }

  deliverToUser(userId: string, payload: string): void {
    for (const ws of this.socketsOf(userId)) this.send(ws, payload);
  }

  deliverToWatchers(userId: string, payload: string): void {
    for (const ws of this.#watchers.get(userId)) this.send(ws, payload);
  }

  /** Sends one frame; a socket whose buffer is past the limit is closed as a slow consumer. */
  send(ws: Socket, payload: string): void {
    const data = ws.getUserData();
    if (data.closed) return;
    ws.cork(() => {
      const status = ws.send(payload, false);
      // 2 = dropped by uWS for backpressure: never drop silently, close instead.
      if (status === 2 || ws.getBufferedAmount() > this.maxBackpressure) {
        data.closed = true;
        ws.end(closeCodes.slow_consumer.code, 'slow consumer');
      }
    });
  }

  /** Closes every socket (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const ws of [...this.#byUser.values()]) end(ws, code, reason);
  }
}

export function end(ws: Socket, code: number, reason: string): void {
  const data = ws.getUserData();
  if (data.closed) return;
  data.closed = true;
  ws.end(code, reason);
}
