import type {
  LoginRequest,
  PublicUser,
  RegisterRequest,
  SearchResult,
} from '@ephemeral-chat/protocol';
import { limits } from '@ephemeral-chat/protocol';
import { AppError } from '../errors/app-error.js';
import type { UserStore } from '../stores/users/user-store.js';
import type { LoginThrottle } from './login-throttle.js';
import { weakPasswordReason } from './passwords/common-passwords.js';
import type { PasswordHasher } from './passwords/password-hasher.js';
import type { IssuedSession, SessionService } from './sessions.js';

export interface SignedIn {
  user: PublicUser;
  session: IssuedSession;
}

/** Registration, sign-in and user search: the rules, with no transport details. */
export class AccountService {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    /** Online status for search results; the messaging release supplies presence. */
    private readonly isOnline: (userIds: string[]) => Promise<Set<string>> = async () => new Set(),
    /** A failed rehash after sign-in (logged; the sign-in still succeeds). */
    private readonly onRehashError: (err: unknown) => void = () => {},
  ) {}

  async register(input: RegisterRequest, ip: string): Promise<SignedIn> {
    await this.throttle.hitRegistration(ip);
    const weak = weakPasswordReason(input.password, input.username);
    if (weak) throw new AppError('weak_password', weak);
    if (await this.users.findByUsername(input.username)) throw usernameTaken();
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.create({ username: input.username, passwordHash });
    return { user, session: await this.sessions.issue(user) };
  }

  /**
   * Fails with the same error, status and roughly the same time whether the user is unknown or
   * the password wrong: an unknown user is verified against a dummy hash.
   */
  async login(input: LoginRequest, ip: string): Promise<SignedIn> {
    // The throttle reserves the attempt before bcrypt runs, so parallel guesses all count.
    const record = await this.throttle.attemptLogin(input.username, ip, async () => {
      const found = await this.users.findByUsername(input.username);
      const ok = found
        ? await this.hasher.verify(input.password, found.passwordHash)
        : await this.hasher.verifyDummy(input.password);
      return found && ok ? found : undefined;
    });
    if (!record) throw new AppError('invalid_credentials', 'Wrong username or password.');
    if (this.hasher.needsRehash(record.passwordHash)) {
      await this.#rehash(record.id, record.passwordHash, input.password);
    }
    const user = { id: record.id, username: record.username };
    return { user, session: await this.sessions.issue(user) };
  }

  /**
   * After `BCRYPT_COST` changed, a user's hash moves to the new cost at their next sign-in, the
   * only time the password is at hand. Best effort: a failure leaves the old hash, which still
   * verifies, and is retried at the next sign-in.
   */
  async #rehash(userId: string, old: string, password: string): Promise<void> {
    try {
      await this.users.replacePasswordHash(userId, old, await this.hasher.hash(password));
    } catch (err) {
      this.onRehashError(err);
    }
  }

  async search(prefix: string, callerId: string): Promise<SearchResult[]> {
    const found = await this.users.search(prefix, {
      excludeId: callerId,
      // Neither side of a block finds the other.
      hideBlocksOf: callerId,
      limit: limits.searchMaxResults,
    });
    const online = await this.isOnline(found.map((u) => u.id));
    return found.map((u) => ({ ...u, online: online.has(u.id) }));
  }
}

function usernameTaken(): AppError {
  return new AppError('username_taken', 'That username is taken.');
}
