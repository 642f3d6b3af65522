import { type ClientFrame, closeCodes, type ServerFrame } from '@ephemeral-chat/protocol';
import type { Engine } from '../engine/engine.js';
import { AppError, toAppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import type { ChatService } from '../services/chat-service.js';
import type { PresenceService } from '../services/presence-service.js';
import type { ActiveSession, SessionEndedNotice, SessionService } from '../services/sessions.js';
import type { ConnectionData, Socket } from './connection.js';
import { decodeFrame } from './frame-decoder.js';
import { isExpiredMessage } from './live-expiry.js';
import { end, type LocalHub } from './local-hub.js';
import { closeInternal } from './socket-guard.js';
import type { UserSendBuckets } from './user-send-buckets.js';

const MAX_STRIKES = 10;
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface GatewayDeps {
  engine: Engine;
  sessions: SessionService;
  chat: ChatService;
  presence: PresenceService;
  hub: LocalHub;
  logger: Logger;
  authTimeoutMs: number;
  /** Authenticated sockets one user may hold on this node (WS_MAX_SOCKETS_PER_USER). */
  maxSocketsPerUser: number;
  /** Handlers one socket may have pending (WS_MAX_IN_FLIGHT); past it, `rate_limited`. */
  maxInFlight: number;
  userSends: UserSendBuckets;
}

/** What happens on each socket: in-band auth, then one handler per frame type. */
export class WsGateway {
  constructor(private readonly d: GatewayDeps) {}

  onOpen(ws: Socket): void {
    const data = ws.getUserData();
    data.timers.push(
      setTimeout(() => {
        if (!data.session) end(ws, closeCodes.auth_timeout.code, 'auth timeout');
      }, this.d.authTimeoutMs),
    );
    if (data.cookieToken) {
      this.#authenticate(ws, data.cookieToken, 0).catch((err: unknown) => this.#failed(ws, err));
    }
  }

  onMessage(ws: Socket, message: ArrayBuffer, isBinary: boolean): void {
    const data = ws.getUserData();
    const decoded = decodeFrame(message, isBinary);
    if ('error' in decoded) {
      this.#reply(ws, errorFrame(decoded.error, decoded.id));
      if (++data.strikes > MAX_STRIKES)
        end(ws, closeCodes.protocol_violation.code, 'too many bad frames');
      return;
    }
    data.strikes = 0;
    const frame = decoded.frame;
    const wait = data.frames.take();
    if (wait > 0) {
      this.#reply(ws, rateLimited(frame, wait));
      return;
    }
    // Bounds the memory one socket can tie up in pending handlers (and their replies).
    if (data.inFlight >= this.d.maxInFlight) {
      this.#reply(ws, rateLimited(frame, 1000, 'Too many requests in flight'));
      return;
    }
    data.inFlight++;
    void this.#run(ws, frame, data);
  }

  /** Runs one frame's handler; every error it throws ends in an error frame, never a rejection. */
  async #run(ws: Socket, frame: ClientFrame, data: ConnectionData): Promise<void> {
    try {
      await this.#handle(ws, frame);
    } catch (err) {
      try {
        const appErr = toAppError(err);
        if (appErr.status >= 500)
          this.d.logger.error({ err: appErr.cause ?? appErr, type: frame.type }, 'frame failed');
        this.#reply(ws, errorFrame(appErr, 'id' in frame ? frame.id : undefined));
      } catch (failure) {
        this.#failed(ws, failure);
      }
    } finally {
      data.inFlight--;
    }
  }

  /** A frame over the payload limit (not read): a strike, and a token of the frame rate. */
  onOversize(ws: Socket, limit: number): void {
    const data = ws.getUserData();
    const err = new AppError('payload_too_large', `Frames are at most ${limit} bytes.`);
    this.#reply(ws, errorFrame(err, undefined));
    data.frames.take();
    if (++data.strikes > MAX_STRIKES)
      end(ws, closeCodes.protocol_violation.code, 'too many bad frames');
  }

  onClose(ws: Socket): void {
    const data = ws.getUserData();
    data.closed = true;
    for (const t of data.timers) clearTimeout(t);
    for (const userId of data.watching) void this.#unwatch(ws, userId);
    const session = data.session;
    if (session && this.d.hub.remove(session.userId, ws)) {
      const uid = session.userId;
      this.d.userSends.release(uid);
      void this.d.engine.unsubscribe(`user:${uid}`).catch(() => {});
      void this.d.presence
        .userDisconnected(uid)
        .catch((err: unknown) => this.#warn(err, 'presence'));
    }
  }

  async #handle(ws: Socket, frame: ClientFrame): Promise<void> {
    const data = ws.getUserData();
    if (frame.type === 'ping') {
      this.#reply(ws, { type: 'pong', id: frame.id, serverTime: Date.now() });
      return;
    }
    if (frame.type === 'auth') {
      if (data.session || data.authenticating) {
        const err = new AppError('validation_failed', 'This connection is already authenticated.');
        this.#reply(ws, errorFrame(err, frame.id));
        return;
      }
      await this.#authenticate(ws, frame.token, frame.id);
      return;
    }
    const session = data.session;
    if (!session) {
      const err = { code: 'auth_required', message: 'Send an auth frame first.' } as const;
      this.#reply(ws, { type: 'error', ...('id' in frame ? { id: frame.id } : {}), error: err });
      return;
    }
    const uid = session.userId;
    const chat = this.d.chat;
    switch (frame.type) {
      case 'open': {
        const opened = await chat.open(uid, frame.username);
        this.#reply(ws, { type: 'opened', id: frame.id, ...opened });
        return;
      }
      case 'send': {
        const wait = data.sends.take();
        if (wait > 0) {
          this.#reply(ws, rateLimited(frame, wait));
          return;
        }
        // The stored JSON is forwarded as is: no parse and re-serialize on the hottest path.
        const { json } = await chat.send(uid, frame);
        this.d.hub.send(ws, `{"type":"ack","id":${frame.id},"message":${json}}`);
        return;
      }
      case 'history': {
        const page = await chat.history(uid, frame.room, frame.before, frame.limit);
        this.#reply(ws, { type: 'history', id: frame.id, room: frame.room, ...page });
        return;
      }
      case 'resume': {
        // One bounded page; the client continues from its last seq while `hasMore`.
        const page = await chat.resume(uid, frame.room, frame.after);
        this.#reply(ws, { type: 'resumed', id: frame.id, room: frame.room, ...page });
        return;
      }
      case 'typing': {
        const peer = await chat.typingPeer(uid, frame.room);
        const event = { type: 'typing', room: frame.room, userId: uid, typing: frame.typing };
        await this.d.engine.publish(`user:${peer}`, JSON.stringify(event));
        return;
      }
      case 'presence': {
        const online = await this.#watchOnly(ws, frame.userIds);
        this.#reply(ws, { type: 'presence', id: frame.id, online });
        return;
      }
      case 'chats': {
        const list = await chat.chats(uid);
        this.#reply(ws, { type: 'chats', id: frame.id, ...list });
        return;
      }
    }
  }

  async #authenticate(ws: Socket, token: string, id: number): Promise<void> {
    const data = ws.getUserData();
    data.authenticating = true;
    const refuse = (err: unknown) => {
      const appErr = toAppError(err);
      this.#reply(ws, errorFrame(appErr, id));
      const close =
        appErr.code === 'unavailable' ? closeCodes.try_again_later : closeCodes.session_invalid;
      end(ws, close.code, appErr.code);
    };
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
      await this.d.engine.subscribe(`user:${uid}`, (payload) => this.#fromUserTopic(uid, payload));
      await this.d.sessions.authenticate(token);
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
    this.#reply(ws, {
      type: 'welcome',
      id,
      user: { id: uid, username: session.username },
      serverTime: Date.now(),
      sessionExpiresAt: session.expiresAt,
    });
  }

  /** A payload for a user from any node: a client frame to forward, or a control notice. */
  #fromUserTopic(userId: string, payload: string): void {
    if (!payload.startsWith('{"$"')) {
      // A message that arrives after its expiresAt (a write or publish that ran late) is dropped.
      if (!isExpiredMessage(payload, Date.now())) this.d.hub.deliverToUser(userId, payload);
      return;
    }
    const notice = JSON.parse(payload) as SessionEndedNotice;
    // Sockets still authenticating are in the hub too, so a notice ends them as well.
    for (const ws of this.d.hub.socketsOf(userId)) {
      if (ws.getUserData().session?.tokenHash === notice.tokenHash) {
        end(ws, closeCodes.session_ended.code, 'logged out');
      }
    }
  }

  /** Makes `userIds` the socket's whole watch list and returns which of them are online. */
  async #watchOnly(ws: Socket, userIds: readonly string[]): Promise<string[]> {
    const data = ws.getUserData();
    const next = new Set(userIds);
    for (const id of data.watching) if (!next.has(id)) await this.#unwatch(ws, id);
    for (const id of next) {
      if (data.watching.has(id) || data.closed) continue;
      data.watching.add(id);
      if (this.d.hub.watch(id, ws)) await this.d.presence.watch(id);
    }
    return [...(await this.d.presence.online([...next]))];
  }

  async #unwatch(ws: Socket, userId: string): Promise<void> {
    ws.getUserData().watching.delete(userId);
    if (this.d.hub.unwatch(userId, ws)) await this.d.presence.unwatch(userId).catch(() => {});
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
      this.#reply(ws, errorFrame(new AppError('too_many_connections', message), id));
      end(ws, closeCodes.too_many_connections.code, 'too many connections');
      return false;
    }
    ws.getUserData().sends = this.d.userSends.acquire(userId);
    return true;
  }

  /** Never throws: a socket closed meanwhile (uWS throws on any access to it) gets nothing. */
  #reply(ws: Socket, frame: ServerFrame): void {
    try {
      this.d.hub.send(ws, JSON.stringify(frame));
    } catch (err) {
      this.#failed(ws, err);
    }
  }

  /** The error path's own failure: logged, and only that socket is closed (1011). */
  #failed(ws: Socket, err: unknown): void {
    this.d.logger.error({ err }, 'ws reply failed; closing that socket');
    closeInternal(ws);
  }

  #warn(err: unknown, what: string): void {
    this.d.logger.warn({ err: (err as Error).message }, `${what} failed`);
  }
}

function errorFrame(err: AppError, id: number | undefined): ServerFrame {
  return {
    type: 'error',
    ...(id === undefined ? {} : { id }),
    error: {
      code: err.code,
      message: err.message,
      ...(err.retryAfter === undefined ? {} : { retryAfter: err.retryAfter }),
      ...(err.details === undefined ? {} : { details: err.details }),
    },
  };
}

function rateLimited(frame: ClientFrame, waitMs: number, why = 'Slow down'): ServerFrame {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    type: 'error',
    ...('id' in frame ? { id: frame.id } : {}),
    error: { code: 'rate_limited', message: `${why}; retry in ${retryAfter} s.`, retryAfter },
  };
}
