/** A piece of widget state that views watch: `subscribe` is called back after every change. */
export class Observable {
  readonly #listeners = new Set<() => void>();

  /** Calls `fn` after every change until the returned function is called. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  protected changed(): void {
    for (const fn of [...this.#listeners]) fn();
  }
}
