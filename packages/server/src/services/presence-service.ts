import { presenceTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import type { Presence } from '../engine/presence/presence.js';
import type { Logger } from '../logger.js';

export interface PresenceSink {
  /** Deliver a `presence.changed` frame to this node's watchers of `userId`. */
  toWatchers(userId: string, payload: string): void;
  /** Users with sockets on this node. */
  localUsers(): string[];
  /** Users watched by sockets on this node. */
  watchedUsers(): string[];
}

/**
 * Presence across nodes: a TTL mark per (user, node) in the presence store, renewed while the node holds a
 * socket of the user; a change is published on `presence:<id>` to the nodes whose sockets watch that
 * user. A clean disconnect is seen at once; a crashed node's marks lapse after the presence TTL
 * (PRESENCE_TTL_MS, 60 s), and a periodic sweep turns that into `offline` events.
 */
export class PresenceService {
  readonly #known = new Map<string, boolean>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly marks: Presence,
    private readonly bus: Bus,
    private readonly nodeId: string,
    private readonly sink: PresenceSink,
    private readonly logger: Logger,
    /** How long a mark lives unless renewed (PRESENCE_TTL_MS). */
    private readonly ttlMs = 60_000,
    private readonly sweepMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    // Renew well within the TTL so that a live user's mark never lapses between sweeps.
    this.#timer = setInterval(() => void this.sweep(), Math.min(this.sweepMs, this.ttlMs / 3));
    this.#timer.unref();
    this.bus.onResubscribed(() => void this.sweep());
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async userConnected(userId: string): Promise<void> {
    const cameOnline = await this.marks.markOnline(userId, this.nodeId, this.ttlMs, this.now());
    if (cameOnline) await this.#announce(userId, true);
  }

  async userDisconnected(userId: string): Promise<void> {
    const wentOffline = await this.marks.markOffline(userId, this.nodeId, this.now());
    if (wentOffline) await this.#announce(userId, false);
  }

  /** Subscribes this node to a user's presence changes and returns whether they are online now. */
  async watch(userId: string): Promise<void> {
    await this.bus.subscribe(presenceTopic(userId), (payload) => this.#received(userId, payload));
  }

  async unwatch(userId: string): Promise<void> {
    this.#known.delete(userId);
    await this.bus.unsubscribe(presenceTopic(userId));
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    const online = await this.marks.onlineUsers(userIds, this.now());
    for (const id of userIds) this.#known.set(id, online.has(id));
    return online;
  }

  /** Renews this node's marks and catches changes that no event reported (a crashed node). */
  async sweep(): Promise<void> {
    try {
      const local = this.sink.localUsers();
      if (local.length) {
        await this.marks.refreshOnline(local, this.nodeId, this.ttlMs, this.now());
      }
      const watched = this.sink.watchedUsers();
      if (!watched.length) return;
      const online = await this.marks.onlineUsers(watched, this.now());
      for (const id of watched) this.#update(id, online.has(id));
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'presence sweep failed; will retry');
    }
  }

  async #announce(userId: string, online: boolean): Promise<void> {
    await this.bus.publish(presenceTopic(userId), frame(userId, online));
  }

  #received(userId: string, payload: string): void {
    this.#known.set(userId, payload.includes('"online":true'));
    this.sink.toWatchers(userId, payload);
  }

  #update(userId: string, online: boolean): void {
    if (this.#known.get(userId) === online) return;
    this.#known.set(userId, online);
    this.sink.toWatchers(userId, frame(userId, online));
  }
}

function frame(userId: string, online: boolean): string {
  return JSON.stringify({ type: 'presence.changed', userId, online });
}
