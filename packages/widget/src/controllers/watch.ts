import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Something that calls back after every change (the session's state, an SDK chat). */
export interface Watchable {
  subscribe(fn: () => void): () => void;
}

/**
 * Re-renders its host on every change of the state that `current` returns; the host's
 * properties may swap that state for another, so it is re-read before every update.
 */
export class Watch implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #current: () => readonly (Watchable | undefined)[];
  #watched: readonly (Watchable | undefined)[] = [];
  #offs: (() => void)[] = [];

  constructor(host: ReactiveControllerHost, current: () => readonly (Watchable | undefined)[]) {
    this.#host = host;
    this.#current = current;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    const now = this.#current();
    if (now.length === this.#watched.length && now.every((w, i) => w === this.#watched[i])) return;
    this.#unwatch();
    this.#watched = now;
    const update = () => this.#host.requestUpdate();
    for (const w of now) if (w) this.#offs.push(w.subscribe(update));
  }

  hostDisconnected(): void {
    this.#unwatch();
    this.#watched = [];
  }

  #unwatch(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
  }
}
