import type { Client } from '@ephemeral-chat/sdk';
import { limits } from '@ephemeral-chat/sdk/constants';
import { debounce } from '../debounce.js';
import { Observable } from './observable.js';

/**
 * Who is online. Several parts of the UI want users watched (search results, chat list, open
 * chat); the server takes one list per connection, so this watches their union, debounced.
 */
export class Presence extends Observable {
  readonly #online = new Map<string, boolean>();
  readonly #wanted = new Map<string, readonly string[]>();
  readonly #client: Pick<Client, 'watch'>;
  readonly #watch = debounce(() => void this.#send(), 150);
  #sent = '';
  /** Whether the socket is up: without it nobody is known to be online. */
  #live = true;

  constructor(client: Pick<Client, 'watch'>) {
    super();
    this.#client = client;
  }

  isOnline(userId: string): boolean {
    return this.#live && (this.#online.get(userId) ?? false);
  }

  /**
   * The connection went down (or came back): while it is down no one shows online, as we would
   * not learn that they left. The SDK reports what changed meanwhile once it is back.
   */
  setLive(live: boolean): void {
    if (live === this.#live) return;
    this.#live = live;
    this.changed();
  }

  set(userId: string, online: boolean): void {
    if (this.#online.get(userId) === online) return;
    this.#online.set(userId, online);
    this.changed();
  }

  /** The users that one part of the UI (`source`) shows, replacing that part's earlier list. */
  want(source: string, userIds: readonly string[]): void {
    this.#wanted.set(source, userIds);
    this.#watch();
  }

  dispose(): void {
    this.#watch.cancel();
    this.#wanted.clear();
  }

  async #send(): Promise<void> {
    const ids = [...new Set([...this.#wanted.values()].flat())].slice(0, limits.presenceWatchMax);
    const key = ids.join(',');
    if (key === this.#sent) return;
    this.#sent = key;
    try {
      const online = new Set(await this.#client.watch(ids));
      for (const id of ids) this.set(id, online.has(id));
    } catch {
      // not connected: the SDK re-sends the list after it reconnects
      this.#sent = '';
    }
  }
}
