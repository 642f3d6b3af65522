import { createHmac } from 'node:crypto';
import { hash, verify } from '@node-rs/bcrypt';

/**
 * bcrypt over `base64(HMAC-SHA-384(NFKC(password), pepper))`. bcrypt reads only 72 bytes; the
 * 64-character pre-hash lets any length and any Unicode count in full (OWASP Password Storage
 * Cheat Sheet, "pre-hashing passwords"), and the pepper makes a stolen database alone useless.
 * NFKC makes the same password typed on different keyboards match (NIST SP 800-63B §5.1.1.2).
 */
export class PasswordHasher {
  readonly #pepper: Buffer;
  readonly #cost: number;
  #dummy: Promise<string> | undefined;

  constructor(pepper: Buffer, cost: number) {
    this.#pepper = pepper;
    this.#cost = cost;
  }

  hash(password: string): Promise<string> {
    return hash(this.#prehash(password), { cost: this.#cost, rejectLongPasswords: true });
  }

  verify(password: string, stored: string): Promise<boolean> {
    return verify(this.#prehash(password), stored);
  }

  /** A hash made at another cost than the configured one (or unreadable) should be replaced. */
  needsRehash(stored: string): boolean {
    const cost = /^\$2[abxy]\$(\d\d)\$/.exec(stored)?.[1];
    return cost === undefined || Number(cost) !== this.#cost;
  }

  /**
   * Spends the same time as a real verification, for a user that does not exist, so that the
   * response time does not tell whether a username is registered.
   */
  async verifyDummy(password: string): Promise<false> {
    this.#dummy ??= this.hash('dummy password that never matches');
    await verify(this.#prehash(password), await this.#dummy);
    return false;
  }

  /** Computes the dummy hash ahead of the first login. */
  async warmUp(): Promise<void> {
    this.#dummy ??= this.hash('dummy password that never matches');
    await this.#dummy;
  }

  #prehash(password: string): string {
    return createHmac('sha384', this.#pepper)
      .update(password.normalize('NFKC'), 'utf8')
      .digest('base64');
  }
}
