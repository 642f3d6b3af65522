import type { Bus } from '../engine/bus/bus.js';
import type { Logger } from '../logger.js';
import { isExpiredMessage } from './live-expiry.js';
import type { LocalHub } from './local-hub.js';
import { SetMap } from './set-map.js';
import { roomTopic } from './topics.js';

export interface GroupRoomsDeps {
  bus: Pick<Bus, 'subscribe' | 'unsubscribe' | 'onResubscribed'>;
  hub: Pick<LocalHub, 'socketsOf' | 'users' | 'deliverToUser'>;
  /** The rooms of the user's groups, read from the permanent store (not a cache). */
  roomsOf(userId: string): Promise<string[]>;
  logger: Pick<Logger, 'warn'>;
}

/** Reads of a user's groups retried while change events keep arriving during them. */
const LOAD_ATTEMPTS = 5;

/**
 * Which local users are in which group room, and this node's subscription to each room's topic:
 * held while a member has a socket here, so a group frame is published once and each node serving
 * members takes it once (delivery/topics.ts `roomTopic`), then hands it to its member sockets.
 *
 * Membership here follows the `group.changed` events on the members' user topics, which a change
 * publishes before it is acknowledged; a group's messages come through the same subscriber
 * connection after it (the send script publishes with no node's tag), so a removed member's node
 * has dropped them before any message sent after the removal arrives.
 */
export class GroupRooms {
  /** room → local users in it */
  readonly #users = new SetMap<string, string>();
  /** user → their rooms */
  readonly #rooms = new SetMap<string, string>();
  /** room → its SUBSCRIBE in flight (a second member waits for the same confirmation). */
  readonly #subscribing = new Map<string, Promise<void>>();
  /** user → their groups being read (a second socket waits for the same read). */
  readonly #loading = new Map<string, Promise<void>>();
  /** user → count of change events applied: a read of the store that overlaps one is redone. */
  readonly #changes = new Map<string, number>();
  /** Users whose groups are read and held here (until their last socket closes). */
  readonly #loaded = new Set<string>();

  constructor(private readonly d: GroupRoomsDeps) {
    // Events may have been missed while the link was down: read every local user's groups again.
    d.bus.onResubscribed(() => {
      for (const userId of this.d.hub.users()) {
        this.#bump(userId);
        void this.#sync(userId, true).catch((err: unknown) => this.#warn(err, 'group resync'));
      }
    });
  }

  /**
   * Joins the user's groups on this node, once per user (call when a socket authenticates, after
   * it joined the hub and its user topic holds, so no change event can be missed); resolves once
   * every room's subscription is confirmed.
   */
  load(userId: string): Promise<void> {
    if (this.#loaded.has(userId)) return Promise.resolve();
    let loading = this.#loading.get(userId);
    if (!loading) {
      loading = this.#sync(userId, false)
        .then(() => {
          // Still here: later changes come as events.
          if (this.d.hub.socketsOf(userId).size > 0) this.#loaded.add(userId);
        })
        .finally(() => this.#loading.delete(userId));
      this.#loading.set(userId, loading);
    }
    return loading;
  }

  /** The user's last socket on this node closed. */
  userGone(userId: string): void {
    for (const room of [...this.#rooms.get(userId)]) this.#leave(userId, room);
    this.#changes.delete(userId);
    this.#loaded.delete(userId);
  }

  /**
   * A `group.changed` event on the user's topic (before it is forwarded): a member of the group
   * as it is now joins it; one without the group (removed, left) leaves it at once.
   */
  changed(userId: string, payload: string): void {
    let event: { room?: unknown; group?: { members?: { id?: unknown }[] } };
    try {
      event = JSON.parse(payload) as typeof event;
    } catch {
      return;
    }
    if (typeof event.room !== 'string') return;
    this.#bump(userId);
    const member = event.group?.members?.some((m) => m.id === userId) === true;
    if (!member) {
      this.#leave(userId, event.room);
    } else if (this.d.hub.socketsOf(userId).size > 0) {
      void this.#join(userId, event.room).catch((err: unknown) => this.#warn(err, 'group join'));
    }
  }

  /** Local users in the room (tests, metrics). */
  usersIn(room: string): ReadonlySet<string> {
    return this.#users.get(room);
  }

  async #sync(userId: string, replace: boolean): Promise<void> {
    let rooms: string[] = [];
    for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
      const before = this.#changes.get(userId) ?? 0;
      rooms = await this.d.roomsOf(userId);
      if ((this.#changes.get(userId) ?? 0) === before) break;
    }
    // Gone meanwhile (every socket closed): nothing to hold.
    if (this.d.hub.socketsOf(userId).size === 0) return;
    if (replace) {
      const wanted = new Set(rooms);
      for (const room of [...this.#rooms.get(userId)])
        if (!wanted.has(room)) this.#leave(userId, room);
    }
    await Promise.all(rooms.map((room) => this.#join(userId, room)));
  }

  async #join(userId: string, room: string): Promise<void> {
    const first = this.#users.add(room, userId);
    this.#rooms.add(userId, room);
    let subscribing = this.#subscribing.get(room);
    if (first && !subscribing) {
      const topic = roomTopic(room);
      subscribing = this.d.bus
        .subscribe(topic, (payload) => this.#deliver(room, payload))
        .finally(() => this.#subscribing.delete(room));
      this.#subscribing.set(room, subscribing);
    }
    await subscribing;
  }

  #leave(userId: string, room: string): void {
    this.#rooms.remove(userId, room);
    if (this.#users.remove(room, userId)) {
      void this.d.bus.unsubscribe(roomTopic(room)).catch(() => {});
    }
  }

  #deliver(room: string, payload: string): void {
    // A message that arrives after its expiresAt (a write or publish that ran late) is dropped.
    if (isExpiredMessage(payload, Date.now())) return;
    for (const userId of this.#users.get(room)) this.d.hub.deliverToUser(userId, payload);
  }

  #bump(userId: string): void {
    this.#changes.set(userId, (this.#changes.get(userId) ?? 0) + 1);
  }

  #warn(err: unknown, what: string): void {
    this.d.logger.warn({ err: (err as Error).message }, `${what} failed`);
  }
}
