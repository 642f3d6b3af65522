import { Observable } from './observable.js';

/**
 * Which rooms' peers are typing. A "typing" whose "stopped" never comes (a dropped connection)
 * lapses after `lapseMs`.
 */
export class PeerTyping extends Observable {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #lapseMs: number;

  constructor(lapseMs = 6000) {
    super();
    this.#lapseMs = lapseMs;
  }

  has(room: string): boolean {
    return this.#timers.has(room);
  }

  set(room: string, typing: boolean): void {
    const was = this.#timers.has(room);
    clearTimeout(this.#timers.get(room));
    this.#timers.delete(room);
    if (typing)
      this.#timers.set(
        room,
        setTimeout(() => this.set(room, false), this.#lapseMs),
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
