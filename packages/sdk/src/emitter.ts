// biome-ignore lint/suspicious/noExplicitAny: listener parameter lists vary per event.
export type EventMap<E> = { [K in keyof E]: (...args: any[]) => void };

/** A small typed event emitter: `on` returns its own unsubscribe function. */
export class Emitter<E extends EventMap<E>> {
  #listeners = new Map<keyof E, Set<E[keyof E]>>();

  /** Calls `listener` on every `event` until the returned function is called. */
  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set.add(listener));
    return () => this.off(event, listener);
  }

  off<K extends keyof E>(event: K, listener: E[K]): void {
    this.#listeners.get(event)?.delete(listener);
  }

  /** A listener that throws does not stop the others; its error is rethrown on its own tick. */
  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (err) {
        setTimeout(() => {
          throw err;
        });
      }
    }
  }
}
