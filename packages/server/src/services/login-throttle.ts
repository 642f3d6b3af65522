import type { Engine } from '../engine/engine.js';
import { AppError } from '../errors/app-error.js';

export interface ThrottlePolicy {
  /** Failed logins for one account from one address (the usual guesser). */
  maxPerAccountAndIp: number;
  /** Failed logins for one account from all addresses (a distributed guesser). */
  maxPerAccount: number;
  /** Failed logins from one address across all accounts (credential stuffing). */
  maxPerIp: number;
  windowMs: number;
  /** Registrations from one address. */
  maxRegistrationsPerIp: number;
  registrationWindowMs: number;
}

/**
 * Login and registration throttling with fixed windows in the Engine, so every node shares them.
 * An attacker at one address exhausts only their own account-and-address budget: the real user,
 * elsewhere, keeps signing in. Only a wide distributed attack reaches the per-account cap, and it
 * lifts when the window ends (5 min by default) — never a long lockout.
 */
export class LoginThrottle {
  constructor(
    private readonly engine: Engine,
    private readonly policy: ThrottlePolicy,
  ) {}

  /** Throws `rate_limited` if any budget for this attempt is spent. */
  async checkLogin(username: string, ip: string): Promise<void> {
    const account = username.toLowerCase();
    const budgets: [string, number][] = [
      [`login:acct-ip:${account}:${ip}`, this.policy.maxPerAccountAndIp],
      [`login:acct:${account}`, this.policy.maxPerAccount],
      [`login:ip:${ip}`, this.policy.maxPerIp],
    ];
    const states = await Promise.all(budgets.map(([key]) => this.engine.peekCounter(key)));
    let waitMs = 0;
    states.forEach((state, i) => {
      const max = budgets[i]?.[1] ?? 0;
      if (state.count >= max) waitMs = Math.max(waitMs, state.resetInMs);
    });
    if (waitMs > 0) throw tooMany(waitMs, 'Too many failed sign-in attempts.');
  }

  async recordLoginFailure(username: string, ip: string): Promise<void> {
    const account = username.toLowerCase();
    const w = this.policy.windowMs;
    await Promise.all([
      this.engine.hitCounter(`login:acct-ip:${account}:${ip}`, w),
      this.engine.hitCounter(`login:acct:${account}`, w),
      this.engine.hitCounter(`login:ip:${ip}`, w),
    ]);
  }

  /** A success clears this address's failures for the account. */
  async recordLoginSuccess(username: string, ip: string): Promise<void> {
    await this.engine.resetCounter(`login:acct-ip:${username.toLowerCase()}:${ip}`);
  }

  /** Counts a registration attempt; throws `rate_limited` past the budget. */
  async hitRegistration(ip: string): Promise<void> {
    const state = await this.engine.hitCounter(
      `register:ip:${ip}`,
      this.policy.registrationWindowMs,
    );
    if (state.count > this.policy.maxRegistrationsPerIp) {
      throw tooMany(state.resetInMs, 'Too many registrations from this address.');
    }
  }
}

function tooMany(waitMs: number, message: string): AppError {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('rate_limited', `${message} Try again in ${retryAfter} s.`, { retryAfter });
}
