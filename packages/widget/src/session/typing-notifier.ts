/**
 * Tells the peer that the user is typing: once when typing starts, again every `refreshMs` while
 * it goes on (so the peer's indicator does not lapse), and "stopped" after `idleMs` of quiet, on
 * send or when the chat closes.
 */
export class TypingNotifier {
  readonly #send: (typing: boolean) => void;
  readonly #refreshMs: number;
  readonly #idleMs: number;
  #sentAt = 0;
  #active = false;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(send: (typing: boolean) => void, refreshMs = 3000, idleMs = 4000) {
    this.#send = send;
    this.#refreshMs = refreshMs;
    this.#idleMs = idleMs;
  }

  input(): void {
    const now = Date.now();
    if (!this.#active || now - this.#sentAt >= this.#refreshMs) {
      this.#active = true;
      this.#sentAt = now;
      this.#send(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), this.#idleMs);
  }

  stop(): void {
    clearTimeout(this.#idle);
    if (!this.#active) return;
    this.#active = false;
    this.#send(false);
  }
}
