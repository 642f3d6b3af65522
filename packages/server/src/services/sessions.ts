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
  ) {}

  async issue(user: PublicUser): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const createdAt = this.now();
    const expiresAt = createdAt + limits.sessionTtlMs;
    await this.sessions.create(
      hashToken(token),
      { userId: user.id, username: user.username, createdAt, expiresAt },
      limits.sessionTtlMs,
    );
    return { token, expiresAt };
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

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
