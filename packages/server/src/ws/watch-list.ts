import type { LocalHub } from '../delivery/local-hub.js';
import type { PresenceService } from '../services/presence-service.js';
import type { Socket } from './connection.js';

/**
 * The users whose presence a socket watches. This node watches a user in the presence service
 * while at least one of its sockets does (the hub counts them).
 */
export class WatchList {
  constructor(
    private readonly hub: LocalHub,
    private readonly presence: PresenceService,
  ) {}

  /** Makes `userIds` the socket's whole watch list and returns which of them are online. */
  async only(ws: Socket, userIds: readonly string[]): Promise<string[]> {
    const data = ws.getUserData();
    const next = new Set(userIds);
    for (const id of data.watching) if (!next.has(id)) await this.unwatch(ws, id);
    for (const id of next) {
      if (data.watching.has(id) || data.closed) continue;
      data.watching.add(id);
      if (this.hub.watch(id, ws)) await this.presence.watch(id);
    }
    return [...(await this.presence.online([...next]))];
  }

  /** A block between `a` and `b` changed: their sockets on this node stop watching each other. */
  dropPair(a: string, b: string): void {
    for (const [watcher, watched] of [
      [a, b],
      [b, a],
    ] as const) {
      for (const ws of this.hub.socketsOf(watcher)) {
        if (ws.getUserData().watching.has(watched)) void this.unwatch(ws, watched);
      }
    }
  }

  /** Synchronous up to its first await: the socket's list is updated at once. */
  async unwatch(ws: Socket, userId: string): Promise<void> {
    ws.getUserData().watching.delete(userId);
    if (this.hub.unwatch(userId, ws)) await this.presence.unwatch(userId).catch(() => {});
  }
}
