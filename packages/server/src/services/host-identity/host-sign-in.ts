import { randomBytes } from 'node:crypto';
import type { PublicUser } from '@ephemeral-chat/protocol';
import { AppError } from '../../errors/app-error.js';
import type { HostIdentityStore } from '../../stores/users/host-identity-store.js';
import type { SignedIn } from '../accounts.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import type { SessionService } from '../sessions.js';
import type { HostTokenVerifier } from './host-token-verifier.js';
import { usernameCandidates } from './host-username.js';

/**
 * Sign-in with the host site's identity: a verified host token names (issuer, sub); the account
 * linked to it is found or, on first sight, made; a session is issued that ends no later than the
 * host token, so a host that stops issuing tokens ends the chat session with it.
 */
export class HostSignIn {
  constructor(
    private readonly verifier: HostTokenVerifier | undefined,
    private readonly identities: HostIdentityStore,
    private readonly hasher: Pick<PasswordHasher, 'hash'>,
    private readonly sessions: Pick<SessionService, 'issue'>,
  ) {}

  get enabled(): boolean {
    return this.verifier !== undefined;
  }

  async signIn(token: unknown): Promise<SignedIn> {
    if (!this.verifier) throw new AppError('host_auth_disabled');
    const claims = await this.verifier.verify(token);
    const user = await this.#account(claims.issuer, claims.subject, claims.displayName);
    return { user, session: await this.sessions.issue(user, claims.expiresAt) };
  }

  async #account(
    issuer: string,
    subject: string,
    displayName: string | undefined,
  ): Promise<PublicUser> {
    const known = await this.identities.find(issuer, subject);
    if (known) return known;
    // A password nobody knows: the account exists for the host's user only.
    const passwordHash = await this.hasher.hash(randomBytes(32).toString('base64url'));
    for (const username of usernameCandidates(issuer, subject, displayName)) {
      try {
        const made = await this.identities.create({ issuer, subject, username, passwordHash });
        if (made) return made;
        // A racing first login of the same user linked it first: use its account.
        const winner = await this.identities.find(issuer, subject);
        if (winner) return winner;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'username_taken')) throw err;
      }
    }
    throw new AppError('internal', 'Could not find a free username for the host user.');
  }
}
