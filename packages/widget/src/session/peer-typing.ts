import { Observable } from './observable.js';

/**
 * Who is typing in which room (in a group, several may be). A "typing" whose "stopped" never
 * comes (a dropped connection) lapses after `lapseMs`.
 */
export class PeerTyping extends Observable {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #lapseMs: number;

  constructor(lapseMs = 6000) {
    super();
    this.#lapseMs = lapseMs;
  }

  has(room: string): boolean {
    return this.who(room).length > 0;
  }

  /** The ids of the users typing in `room`, in the order they started. */
  who(room: string): string[] {
    const out: string[] = [];
    for (const key of this.#timers.keys()) {
      const [r, userId = ''] = key.split(' ');
      if (r === room) out.push(userId);
    }
    return out;
  }

  set(room: string, userId: string, typing: boolean): void {
    const key = `${room} ${userId}`;
    const was = this.#timers.has(key);
    clearTimeout(this.#timers.get(key));
    // A repeated "typing" keeps its place (the Map's order is who started first).
    if (!typing) this.#timers.delete(key);
    else
      this.#timers.set(
        key,
        setTimeout(() => this.set(room, userId, false), this.#lapseMs),
      );
    if (was !== typing) this.changed();
  }

  clear(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    const had = this.#timers.size > 0;
    this.#timers.clear();
    if (had) this.changed();
  }
}
