import type { CounterBudget, Counters } from '../engine/counters/counters.js';
import { AppError } from '../errors/app-error.js';
import { InFlight } from './in-flight.js';

export interface ThrottlePolicy {
  /** Failed logins for one account from one address (the usual guesser). Keep it below `maxPerAccount`. */
  maxPerAccountAndIp: number;
  /** Failed logins for one account from all addresses (a distributed guesser). */
  maxPerAccount: number;
  /** Failed logins from one address across all accounts (credential stuffing). */
  maxPerIp: number;
  windowMs: number;
  /** Sign-in attempts for one account verifying at once on this node; one address holds at most all but one. */
  maxConcurrentPerAccount: number;
  /** Registrations from one address. */
  maxRegistrationsPerIp: number;
  registrationWindowMs: number;
}

/**
 * Login and registration throttling with fixed windows in the shared counters, so every node shares them.
 * Each attempt is reserved atomically before bcrypt runs, so N parallel guesses count as N. An
 * attacker at one address exhausts only their own account-and-address budget: that budget's window
 * outlives the account's, so one address adds at most `maxPerAccountAndIp` to the per-account
 * count and the real user, elsewhere, keeps signing in. Only a wide distributed attack reaches the
 * per-account cap, and it lifts when the window ends (5 min by default), never a long lockout.
 */
export class LoginThrottle {
  readonly #inFlight: InFlight;

  constructor(
    private readonly counters: Counters,
    private readonly policy: ThrottlePolicy,
  ) {
    this.#inFlight = new InFlight(
      policy.maxConcurrentPerAccount,
      Math.max(1, policy.maxConcurrentPerAccount - 1),
    );
  }

  /**
   * Runs `verify` as one sign-in attempt, or throws `rate_limited` without running it. `verify`
   * returns the signed-in value, or undefined for a failure, which stays counted. A success
   * clears this address's failures on the account and takes its own hit back elsewhere; a throw
   * (the outcome never reached the caller) takes every hit back.
   */
  async attemptLogin<T>(
    username: string,
    ip: string,
    verify: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const account = username.toLowerCase();
    const keys = {
      acctIp: `login:acct-ip:${account}:${ip}`,
      acct: `login:acct:${account}`,
      ip: `login:ip:${ip}`,
    };
    if (!this.#inFlight.enter(account, ip)) {
      throw tooMany(1000, 'Too many sign-in attempts in progress for this account.');
    }
    try {
      const w = this.policy.windowMs;
      const budgets: CounterBudget[] = [
        { key: keys.acctIp, max: this.policy.maxPerAccountAndIp, windowMs: w, outlive: true },
        { key: keys.acct, max: this.policy.maxPerAccount, windowMs: w },
        { key: keys.ip, max: this.policy.maxPerIp, windowMs: w },
      ];
      const reserved = await this.counters.reserve(budgets);
      if (!reserved.ok) throw tooMany(reserved.retryInMs, 'Too many failed sign-in attempts.');
      let result: T | undefined;
      try {
        result = await verify();
      } catch (err) {
        // Best effort: the original error is what the caller needs to see.
        await this.#refund([keys.acctIp, keys.acct, keys.ip]).catch(() => {});
        throw err;
      }
      if (result !== undefined) {
        await Promise.all([this.counters.reset(keys.acctIp), this.#refund([keys.acct, keys.ip])]);
      }
      return result;
    } finally {
      this.#inFlight.leave(account, ip);
    }
  }

  /** Counts a registration attempt; throws `rate_limited` past the budget. */
  async hitRegistration(ip: string): Promise<void> {
    const reserved = await this.counters.reserve([
      {
        key: `register:ip:${ip}`,
        max: this.policy.maxRegistrationsPerIp,
        windowMs: this.policy.registrationWindowMs,
      },
    ]);
    if (!reserved.ok) {
      throw tooMany(reserved.retryInMs, 'Too many registrations from this address.');
    }
  }

  async #refund(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => this.counters.refund(k)));
  }
}

function tooMany(waitMs: number, message: string): AppError {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('rate_limited', `${message} Try again in ${retryAfter} s.`, { retryAfter });
}
