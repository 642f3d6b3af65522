import type {
  AuthResponse,
  ErrorBody,
  MeResponse,
  PublicUser,
  SearchResult,
  SessionResponse,
} from '@ephemeral-chat/protocol';
import { ChatError, fromPayload, toChatError } from '../errors.js';
import type { ResolvedOptions } from '../options.js';

/** Username and password, as `register` and `login` take them. */
export interface Credentials {
  username: string;
  password: string;
}

/** A signed-in user and when the session ends (epoch ms, server time). */
export interface Session {
  user: PublicUser;
  expiresAt: number;
}

/** The HTTP half of the API: accounts and search. The token goes through `tokenStore`. */
export class Api {
  readonly #o: ResolvedOptions;

  constructor(o: ResolvedOptions) {
    this.#o = o;
  }

  register(credentials: Credentials): Promise<Session> {
    return this.#signIn('register', credentials);
  }

  login(credentials: Credentials): Promise<Session> {
    return this.#signIn('login', credentials);
  }

  /** `POST /api/host-session`: a host token for a session (token stored, or the cookie set). */
  async hostSession(hostToken: string): Promise<AuthResponse> {
    const cookie = this.#o.auth === 'cookie';
    const body = { token: hostToken, ...(cookie ? { cookie } : {}) };
    const res = await this.#call<AuthResponse>('POST', '/api/host-session', body);
    if (res.token) await this.#o.tokenStore.set(res.token);
    return res;
  }

  /** Ends the session on the server (and so its sockets) and forgets the token. */
  async logout(): Promise<void> {
    try {
      await this.#call('POST', '/api/logout');
    } finally {
      await this.#o.tokenStore.clear();
    }
  }

  /** Deletes the signed-in user's account (password entered again) and forgets the token. */
  async deleteAccount(password: string): Promise<void> {
    await this.#call('POST', '/api/account/delete', { password });
    await this.#o.tokenStore.clear();
  }

  me(): Promise<MeResponse> {
    return this.#call('GET', '/api/me');
  }

  /** The signed-in user and session, or `null` when signed out: no `401` for a signed-out caller. */
  async session(): Promise<MeResponse | null> {
    const o = this.#o;
    if (o.auth === 'token' && !(await o.tokenStore.get())) return null;
    const r = await this.#call<SessionResponse>('GET', '/api/session');
    if (r.user) return r as MeResponse;
    // The server no longer knows the token: forget it, as a refused connection does.
    if (o.auth === 'token') await o.tokenStore.clear();
    return null;
  }

  /** Users whose name starts with `prefix` (case-insensitive), at most 20, with `online`. */
  async searchUsers(prefix: string): Promise<SearchResult[]> {
    const res = await this.#call<{ users: SearchResult[] }>(
      'GET',
      `/api/users/search?q=${encodeURIComponent(prefix)}`,
    );
    return res.users;
  }

  async #signIn(path: string, c: Credentials): Promise<Session> {
    const cookie = this.#o.auth === 'cookie';
    const body = { username: c.username, password: c.password, ...(cookie ? { cookie } : {}) };
    const res = await this.#call<AuthResponse>('POST', `/api/${path}`, body);
    if (res.token) await this.#o.tokenStore.set(res.token);
    return { user: res.user, expiresAt: res.expiresAt };
  }

  /**
   * A browser hides why a cross-origin request failed. If the server answers an opaque
   * (`no-cors`) request, it is up and refused this page's origin: say so, not "network".
   */
  async #explain(err: unknown): Promise<ChatError> {
    if (typeof document === 'undefined') return toChatError(err);
    try {
      await this.#o.fetch(`${this.#o.url}/healthz`, {
        method: 'GET',
        headers: {},
        mode: 'no-cors',
      });
    } catch {
      return toChatError(err);
    }
    const origin = globalThis.location?.origin ?? 'this page';
    return new ChatError(
      'origin_not_allowed',
      `This site (${origin}) is not allowed to use this chat server; its operator can add it to ALLOWED_ORIGINS.`,
      { cause: err },
    );
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    const token = this.#o.auth === 'token' ? await this.#o.tokenStore.get() : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      const res = await this.#o.fetch(this.#o.url + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(this.#o.auth === 'cookie' ? { credentials: 'include' as const } : {}),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw await this.#explain(err);
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch (err) {
      throw new ChatError('network', `Unreadable response (HTTP ${status}).`, { cause: err });
    }
    if (status < 300) return json as T;
    const error = (json as Partial<ErrorBody> | undefined)?.error;
    if (error?.code) throw fromPayload(error);
    throw new ChatError('network', `HTTP ${status} without an error body.`);
  }
}
