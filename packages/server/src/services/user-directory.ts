import type { PublicUser } from '@ephemeral-chat/protocol';
import { usersTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import type { UserStore } from '../stores/users/user-store.js';

/** A node-to-node notice on the `users` topic: the account is gone, drop it from the cache. */
export interface UserDeletedNotice {
  $: 'user_deleted';
  id: string;
}

/**
 * Id → public user, cached: usernames never change, so an entry only goes stale when the account
 * is deleted, which every node hears on the `users` topic. Bounded so a long-running node does not
 * grow without limit (oldest entry out first).
 */
export class UserDirectory {
  readonly #cache = new Map<string, PublicUser>();

  constructor(
    private readonly users: UserStore,
    private readonly maxEntries = 50_000,
    private readonly bus?: Pick<Bus, 'publish' | 'subscribe' | 'onResubscribed'>,
  ) {}

  /** Subscribes this node to the deletion notices; resolves once the subscription holds. */
  async start(): Promise<void> {
    if (!this.bus) return;
    // Notices may have been missed while the link was down: forget everything, read again.
    this.bus.onResubscribed(() => this.#cache.clear());
    await this.bus.subscribe(usersTopic(), (payload) => {
      const notice = JSON.parse(payload) as UserDeletedNotice;
      if (notice.$ === 'user_deleted') this.forget(notice.id);
    });
  }

  /** Drops a user from this node's cache. */
  forget(id: string): void {
    this.#cache.delete(id);
  }

  /** Drops a deleted user from every node's cache (this one at once). */
  async forgetEverywhere(id: string): Promise<void> {
    this.forget(id);
    const notice: UserDeletedNotice = { $: 'user_deleted', id };
    await this.bus?.publish(usersTopic(), JSON.stringify(notice));
  }

  /** The user if cached (no lookup). */
  known(id: string): PublicUser | undefined {
    return this.#cache.get(id);
  }

  async byId(id: string): Promise<PublicUser | undefined> {
    const hit = this.#cache.get(id);
    if (hit) return hit;
    const user = await this.users.findById(id);
    if (user) this.remember(user);
    return user;
  }

  async byUsername(username: string): Promise<PublicUser | undefined> {
    const record = await this.users.findByUsername(username);
    if (!record) return undefined;
    const user = { id: record.id, username: record.username };
    this.remember(user);
    return user;
  }

  /** Several users by username (case-insensitive), in one lookup; unknown names are left out. */
  async byUsernames(usernames: readonly string[]): Promise<PublicUser[]> {
    const found = await this.users.findByUsernames(usernames);
    for (const user of found) this.remember({ id: user.id, username: user.username });
    return found.map((u) => ({ id: u.id, username: u.username }));
  }

  remember(user: PublicUser): void {
    if (this.#cache.size >= this.maxEntries) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(user.id, user);
  }
}
