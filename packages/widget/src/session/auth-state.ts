import type {
  ChatError,
  Client,
  ConnectionState,
  Credentials,
  PublicUser,
} from '@ephemeral-chat/sdk';
import { asChatError } from '../errors.js';
import type { EcLoginDetail, EcLogoutDetail } from '../events.js';
import { signInWithHost } from './host-sign-in.js';
import { Observable } from './observable.js';

/** Where the widget stands: asking the server, signed out, signed in, or unable to reach it. */
export type Phase = 'starting' | 'signed-out' | 'signed-in' | 'unreachable';

/** What sign-in reports: to the element (DOM events) and to the state kept per user. */
export interface AuthHooks {
  /** A user is in: set up what is kept per user, before anyone is told. */
  entered(user: PublicUser): void;
  /** Connected after sign-in: load what the user sees. */
  ready(): Promise<void>;
  /** The user is out: forget what was kept for them. */
  left(): void;
  login(detail: EcLoginDetail): void;
  logout(detail: EcLogoutDetail): void;
  error(error: ChatError): void;
}

type AuthClient = Pick<
  Client,
  | 'session'
  | 'login'
  | 'register'
  | 'logout'
  | 'connect'
  | 'disconnect'
  | 'deleteAccount'
  | 'signInWithHost'
>;

/** The element's `hostToken`, read when sign-in starts (it may be set after the element). */
export type HostTokenSource = () => (() => Promise<string>) | undefined;

/**
 * Sign-in state over one SDK client with cookie auth (the widget never sees a token): phase, user,
 * connection, and why the user was signed out or the server is unreachable.
 */
export class AuthState extends Observable {
  phase: Phase = 'starting';
  user: PublicUser | undefined;
  connection: ConnectionState = 'idle';
  /** Why the user was signed out, until the next sign-in. */
  notice: 'sessionEnded' | 'accountDeleted' | undefined;
  /** Why the server is unreachable (phase `unreachable`). */
  error: ChatError | undefined;
  readonly #client: AuthClient;
  readonly #hooks: AuthHooks;
  readonly #hostToken: HostTokenSource;
  #leaving = false;
  #disposed = false;

  constructor(client: AuthClient, hooks: AuthHooks, hostToken: HostTokenSource = () => undefined) {
    super();
    this.#client = client;
    this.#hooks = hooks;
    this.#hostToken = hostToken;
  }

  /** Resumes a session whose cookie is still valid, else leaves the user signed out. */
  async start(): Promise<void> {
    this.phase = 'starting';
    this.error = undefined;
    this.changed();
    try {
      // A host-site visitor is signed in with the host's identity: no login form.
      if (await this.#viaHost()) return;
      // session(), not me(): a signed-out visitor costs no 401 in the page's console.
      const me = await this.#client.session();
      if (me) {
        await this.#enter(me.user, 'session');
        // `hostToken` set while the session was asked for: its provider renews from now on.
        if (this.#hostToken()) await this.hostTokenChanged();
      }
      // `hostToken` may have been set while the session was asked for.
      else if (await this.#viaHost()) return;
      else {
        this.phase = 'signed-out';
        this.changed();
      }
    } catch (err) {
      const e = asChatError(err);
      // A refused host token leaves the visitor signed out, as a stale cookie does.
      const signedOut = e.code === 'auth_required' || e.code === 'session_invalid';
      if (signedOut || e.code.startsWith('host_token')) this.phase = 'signed-out';
      else [this.phase, this.error] = ['unreachable', e];
      this.changed();
      if (this.phase === 'unreachable') this.#hooks.error(e);
    }
  }

  /**
   * The element's `hostToken` was set or replaced: sign in with it when signed out; when signed
   * in already (by a cookie), take its session, and the provider for renewals, from now on.
   */
  async hostTokenChanged(): Promise<void> {
    if (this.phase === 'signed-out') return this.start();
    const provider = this.#hostToken();
    if (this.phase !== 'signed-in' || !provider) return;
    const s = await this.#client.signInWithHost(provider).catch(() => undefined);
    // The host now says someone else is signed in (a shared computer): switch to them.
    if (s && s.user.id !== this.user?.id) {
      this.#client.disconnect();
      this.#leave('session-ended');
      await this.#enter(s.user, 'host');
    }
  }

  #viaHost(): Promise<boolean> {
    return signInWithHost(this.#client, this.#hostToken(), (user) => this.#enter(user, 'host'));
  }

  /** Signs in or registers; a rejection is a `ChatError` for the form to show. */
  async signIn(mode: 'login' | 'register', credentials: Credentials): Promise<void> {
    const c = this.#client;
    const s = await (mode === 'register' ? c.register(credentials) : c.login(credentials));
    this.notice = undefined;
    await this.#enter(s.user, mode);
  }

  async logout(): Promise<void> {
    this.#leaving = true;
    try {
      await this.#client.logout();
    } catch {
      // unreachable or already ended: the user is signed out here all the same
    } finally {
      this.#leaving = false;
    }
    this.#leave('logout');
  }

  /**
   * Deletes the user's account (the password entered again); a rejection (wrong password) leaves
   * the user signed in. The server then closes every socket: that is no "session ended" here.
   */
  async deleteAccount(password: string): Promise<void> {
    this.#leaving = true;
    try {
      await this.#client.deleteAccount(password);
    } finally {
      this.#leaving = false;
    }
    this.notice = 'accountDeleted';
    this.#leave('account-deleted');
  }

  /** The connection moved to `state`; a refused session signs the user out. */
  setConnection(state: ConnectionState): void {
    this.connection = state;
    if (state === 'unauthorized' && !this.#leaving && this.phase === 'signed-in') {
      this.notice = 'sessionEnded';
      this.#client.disconnect();
      this.#leave('session-ended');
    }
    this.changed();
  }

  dispose(): void {
    this.#disposed = true;
  }

  async #enter(user: PublicUser, via: EcLoginDetail['via']): Promise<void> {
    if (this.#disposed) return;
    this.user = user;
    this.#hooks.entered(user);
    this.phase = 'signed-in';
    this.changed();
    this.#hooks.login({ user, via });
    try {
      await this.#client.connect();
      await this.#hooks.ready();
    } catch (err) {
      // A refused session arrives as the `unauthorized` state; anything else is shown.
      if (this.phase === 'signed-in') this.#hooks.error(asChatError(err));
    }
  }

  #leave(reason: EcLogoutDetail['reason']): void {
    if (this.phase !== 'signed-in') return;
    this.phase = 'signed-out';
    this.user = undefined;
    this.#hooks.left();
    this.changed();
    this.#hooks.logout({ reason });
  }
}
