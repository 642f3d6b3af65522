import type { AuthResponse } from '@ephemeral-chat/protocol';
import { ChatError } from './errors.js';
import type { Session } from './http/api.js';

/** Gets a fresh host token (a JWT the embedding site signs for its signed-in user). */
export type HostTokenProvider = () => Promise<string>;

/** The one HTTP call this needs: `POST /api/host-session`. */
export type HostExchange = (token: string) => Promise<AuthResponse>;

/** Renew this long before the session ends, at most (a fifth of its life when shorter). */
const RENEW_LEAD_MS = 60_000;

/**
 * Sign-in with the host site's identity: asks the provider for a host token, exchanges it for a
 * session, and asks again before that session (which ends with the host token) runs out, so
 * the next reconnect finds a fresh session waiting.
 */
export class HostSession {
  #provider: HostTokenProvider | undefined;
  #expiresAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pending: Promise<Session> | undefined;

  constructor(
    private readonly exchange: HostExchange,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a provider was given (by option or by `signIn`). */
  get active(): boolean {
    return this.#provider !== undefined;
  }

  /** Calls the provider and exchanges its token; concurrent calls share one exchange. */
  signIn(provider: HostTokenProvider): Promise<Session> {
    this.#provider = provider;
    this.#pending ??= this.#signIn(provider).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * A session for a reconnect: the current one while it has time left, else a new one from the
   * provider. False when there is no provider (the caller signs the user out).
   */
  async renew(): Promise<boolean> {
    const provider = this.#provider;
    if (!provider) return false;
    if (this.#expiresAt - this.now() > this.#lead()) return true;
    await this.signIn(provider);
    return true;
  }

  /** The server ended the session (expired or revoked): the next `renew` asks the host. */
  stale(): void {
    this.#expiresAt = 0;
  }

  /** Forgets the provider and stops renewing (logout). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#provider = undefined;
    this.#expiresAt = 0;
  }

  async #signIn(provider: HostTokenProvider): Promise<Session> {
    let token: unknown;
    try {
      token = await provider();
    } catch (err) {
      throw new ChatError('host_token_unavailable', 'The hostToken provider failed.', {
        cause: err,
      });
    }
    if (typeof token !== 'string' || token === '') {
      throw new ChatError('host_token_unavailable', 'The hostToken provider gave no token.');
    }
    const r = await this.exchange(token);
    this.#expiresAt = r.expiresAt;
    this.#schedule();
    return { user: r.user, expiresAt: r.expiresAt };
  }

  #lead(): number {
    return Math.min(RENEW_LEAD_MS, Math.max(0, (this.#expiresAt - this.now()) / 5));
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const provider = this.#provider;
    if (!provider) return;
    const left = this.#expiresAt - this.now();
    const at = Math.max(1000, left - Math.min(RENEW_LEAD_MS, left / 5));
    this.#timer = setTimeout(
      () => {
        // A failure here is retried by the reconnect that the session's end brings.
        this.signIn(provider).catch(() => {});
      },
      Math.min(at, 2 ** 31 - 1),
    );
    // Never keeps a Node process alive by itself.
    (this.#timer as { unref?: () => void }).unref?.();
  }
}
