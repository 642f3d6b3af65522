import type { PublicUser } from '@ephemeral-chat/protocol';
import type { UserStore } from '../stores/users/user-store.js';

/**
 * Id → public user, cached: usernames never change, so an entry never goes stale. Bounded so a
 * long-running node does not grow without limit (oldest entry out first).
 */
export class UserDirectory {
  readonly #cache = new Map<string, PublicUser>();

  constructor(
    private readonly users: UserStore,
    private readonly maxEntries = 50_000,
  ) {}

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
