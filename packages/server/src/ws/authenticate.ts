import { closeCodes } from '@ephemeral-chat/protocol';
import type { GroupRooms } from '../delivery/group-rooms.js';
import { end, type LocalHub } from '../delivery/local-hub.js';
import type { UserTopic } from '../delivery/user-topic.js';
import { AppError, toAppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { HostSignIn } from '../services/host-identity/host-sign-in.js';
import type { PresenceService } from '../services/presence-service.js';
import type { ActiveSession, SessionService } from '../services/sessions.js';
import type { Socket } from './connection.js';
import { errorFrame } from './error-frames.js';
import type { Replier } from './replier.js';
import type { UserSendBuckets } from './user-send-buckets.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AuthenticatorDeps {
  sessions: SessionService;
  presence: PresenceService;
  hub: LocalHub;
  userTopic: UserTopic;
  /** The user's group rooms on this node (joined before `welcome`). */
  groupRooms: Pick<GroupRooms, 'load'>;
  userSends: UserSendBuckets;
  replier: Replier;
  logger: Logger;
  /** Authenticated sockets one user may hold on this node (WS_MAX_SOCKETS_PER_USER). */
  maxSocketsPerUser: number;
  /** Host tokens for sessions (`auth` with `hostToken`); unset: `host_auth_disabled`. */
  hostSignIn?: Pick<HostSignIn, 'signIn'> | undefined;
  /** Counts each authentication's result; unset when metrics are off. */
  metrics?: Pick<ServerMetrics, 'auth'> | undefined;
}

/** In-band authentication of a socket (auth frame or upgrade cookie), closing the logout race. */
export class Authenticator {
  constructor(private readonly d: AuthenticatorDeps) {}

  /**
   * `auth` with a host token: exchanged for a session (the account found or made on first
   * sight), which then authenticates the socket as a session token would.
   */
  async authenticateHost(ws: Socket, hostToken: string, id: number): Promise<void> {
    const data = ws.getUserData();
    data.authenticating = true;
    let token: string;
    try {
      if (!this.d.hostSignIn) throw new AppError('host_auth_disabled');
      token = (await this.d.hostSignIn.signIn(hostToken)).session.token;
    } catch (err) {
      data.authenticating = false;
      if (!data.closed) this.#refuse(ws, err, id);
      return;
    }
    if (data.closed) {
      data.authenticating = false;
      return;
    }
    await this.authenticate(ws, token, id);
  }

  #refuse(ws: Socket, err: unknown, id: number): void {
    const appErr = toAppError(err);
    this.d.metrics?.auth(appErr.code);
    this.d.replier.reply(ws, errorFrame(appErr, id));
    const close =
      appErr.code === 'unavailable' ? closeCodes.try_again_later : closeCodes.session_invalid;
    end(ws, close.code, appErr.code);
  }

  async authenticate(ws: Socket, token: string, id: number): Promise<void> {
    const data = ws.getUserData();
    data.authenticating = true;
    const refuse = (err: unknown) => this.#refuse(ws, err, id);
    let session: ActiveSession;
    try {
      session = await this.d.sessions.authenticate(token);
    } catch (err) {
      refuse(err);
      return;
    } finally {
      data.authenticating = false;
    }
    if (data.closed) return;
    if (!this.#admit(ws, session.userId, id)) return;
    // Logout (on any node) deletes the session, then publishes `session_ended` on the user's
    // topic. So the socket joins the user's sockets (where a notice finds it), waits until this
    // node's subscription to the topic is confirmed (each socket re-SUBSCRIBEs: idempotent), and
    // only then reads the session again: a delete before that read fails it here, and one after
    // it is followed by a notice that is certain to reach this node.
    data.session = session;
    const uid = session.userId;
    if (this.d.hub.add(uid, ws)) {
      void this.d.presence.userConnected(uid).catch((err: unknown) => this.#warn(err, 'presence'));
    }
    try {
      await this.d.userTopic.subscribe(uid);
      await this.d.sessions.authenticate(token);
      // After the user topic holds: a group change from now on arrives as an event.
      await this.d.groupRooms.load(uid);
    } catch (err) {
      if (!data.closed) refuse(err);
      return;
    }
    // Ended meanwhile: revoked, or closed by the client.
    if (data.closed) return;
    const left = Math.min(session.expiresAt - Date.now(), MAX_TIMER_MS);
    data.timers.push(
      setTimeout(() => end(ws, closeCodes.session_ended.code, 'session expired'), left),
    );
    this.d.metrics?.auth('ok');
    this.d.replier.reply(ws, {
      type: 'welcome',
      id,
      user: { id: uid, username: session.username },
      serverTime: Date.now(),
      sessionExpiresAt: session.expiresAt,
    });
  }

  /**
   * Admits an authenticated socket under the per-user limits of this node: refuses one past
   * WS_MAX_SOCKETS_PER_USER, and gives it the user's shared `send` bucket. Synchronous up to the
   * hub.add that follows it, so parallel authentications cannot all pass.
   */
  #admit(ws: Socket, userId: string, id: number): boolean {
    if (this.d.hub.socketsOf(userId).size >= this.d.maxSocketsPerUser) {
      const max = this.d.maxSocketsPerUser;
      const message = `At most ${max} connections per user; close another one first.`;
      this.d.metrics?.auth('too_many_connections');
      this.d.replier.reply(ws, errorFrame(new AppError('too_many_connections', message), id));
      end(ws, closeCodes.too_many_connections.code, 'too many connections');
      return false;
    }
    ws.getUserData().sends = this.d.userSends.acquire(userId);
    return true;
  }

  #warn(err: unknown, what: string): void {
    this.d.logger.warn({ err: (err as Error).message }, `${what} failed`);
  }
}
