import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from './session.js';

/** Re-renders its host on every change of the session that `current` returns (it may change). */
export class SessionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #current: () => Session | undefined;
  #session: Session | undefined;
  #off: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, current: () => Session | undefined) {
    this.#host = host;
    this.#current = current;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    const session = this.#current();
    if (session === this.#session) return;
    this.#off?.();
    this.#session = session;
    this.#off = session?.subscribe(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = undefined;
    this.#session = undefined;
  }
}
