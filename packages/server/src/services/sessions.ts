import { createHash, randomBytes } from 'node:crypto';
import { limits, type PublicUser } from '@ephemeral-chat/protocol';
import { userTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import type { SessionData, SessionStore } from '../engine/sessions/session-store.js';
import { AppError } from '../errors/app-error.js';

export interface IssuedSession {
  /** 256 random bits, base64url: shown to the client once, stored only as its SHA-256. */
  token: string;
  expiresAt: number;
}

export interface ActiveSession extends SessionData {
  tokenHash: string;
}

/** Opaque bearer sessions with a 24 h absolute lifetime, kept in the session store. */
export class SessionService {
  constructor(
    private readonly sessions: SessionStore,
    private readonly bus: Pick<Bus, 'publish'>,
    private readonly now: () => number = Date.now,
    /**
     * Whether an operator suspended the account (or it is being deleted): then no session is
     * issued (`account_suspended`). Default: never.
     */
    private readonly isSuspended: (userId: string) => Promise<boolean> = async () => false,
  ) {}

  /**
   * A new session, unless the account is suspended. Checked before and again after the session is
   * stored: a suspension sets its flag, then ends every session of the user (`revokeAll`), so a
   * session stored before that sweep is swept, and one stored after it sees the flag here and is
   * taken back.
   */
  async issue(user: PublicUser, notAfter?: number): Promise<IssuedSession> {
    if (await this.isSuspended(user.id)) throw suspended();
    const token = randomBytes(32).toString('base64url');
    const createdAt = this.now();
    // `notAfter`: a host token's exp, so the session ends with it (at least 1 s, at most 24 h).
    const ttl = Math.max(1000, Math.min(limits.sessionTtlMs, (notAfter ?? Infinity) - createdAt));
    const expiresAt = createdAt + ttl;
    const tokenHash = hashToken(token);
    await this.sessions.create(
      tokenHash,
      { userId: user.id, username: user.username, createdAt, expiresAt },
      ttl,
    );
    if (await this.isSuspended(user.id)) {
      await this.sessions.delete(tokenHash);
      throw suspended();
    }
    return { token, expiresAt };
  }

  /**
   * Ends every session of the user and closes all their sockets on every node (suspension,
   * account deletion): the sessions are deleted first, then the notice goes out, as in `revoke`.
   * Unlike a logout's, this notice must arrive: a failed publish is thrown (the caller retries;
   * deleting again is harmless).
   */
  async revokeAll(userId: string, reason: UserEndedNotice['reason']): Promise<number> {
    const ended = await this.sessions.deleteAllOf(userId);
    const notice: UserEndedNotice = { $: 'user_ended', reason };
    await this.bus.publish(userTopic(userId), JSON.stringify(notice));
    return ended;
  }

  /** The session behind a token, or `session_invalid` when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<ActiveSession> {
    const tokenHash = hashToken(token);
    const data = await this.sessions.get(tokenHash);
    // The engine's TTL already drops it; checking expiresAt too guards against clock skew
    // between nodes and a store that reclaims late.
    if (!data || data.expiresAt <= this.now()) {
      throw new AppError(
        'session_invalid',
        'Your session has expired or was revoked; sign in again.',
      );
    }
    return { ...data, tokenHash };
  }

  /**
   * Ends a session at once, and tells every node to close that session's sockets. The order is
   * what closes the race with a socket authenticating elsewhere meanwhile: delete first, publish
   * after. Such a socket subscribes to the user's topic and then reads the session a second time
   * (WsGateway#authenticate): either that read sees the delete, or the notice comes after its
   * subscription and reaches it.
   */
  async revoke(session: ActiveSession): Promise<void> {
    await this.sessions.delete(session.tokenHash);
    const notice: SessionEndedNotice = { $: 'session_ended', tokenHash: session.tokenHash };
    // Best effort: the session is already gone, so a socket that misses this (Redis failing
    // between the two commands) still fails on its next auth.
    await this.bus.publish(userTopic(session.userId), JSON.stringify(notice)).catch(() => {});
  }
}

/** A node-to-node control notice on a user's topic (client frames never start with `{"$"`). */
export interface SessionEndedNotice {
  $: 'session_ended';
  tokenHash: string;
}

/** A node-to-node notice on a user's topic: close every socket of the user on this node. */
export interface UserEndedNotice {
  $: 'user_ended';
  reason: 'suspended' | 'deleted';
}

function suspended(): AppError {
  return new AppError('account_suspended', 'This account is suspended.');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
