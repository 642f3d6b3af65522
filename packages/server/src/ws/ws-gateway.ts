import { type ClientFrame, closeCodes, type ServerFrame } from '@ephemeral-chat/protocol';
import type { Engine } from '../engine/engine.js';
import { AppError, toAppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import type { ChatService } from '../services/chat-service.js';
import type { PresenceService } from '../services/presence-service.js';
import type { SessionEndedNotice, SessionService } from '../services/sessions.js';
import type { Socket } from './connection.js';
import { decodeFrame } from './frame-decoder.js';
import { end, type LocalHub } from './local-hub.js';

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
    if (data.cookieToken) void this.#authenticate(ws, data.cookieToken, 0);
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
    void this.#handle(ws, frame).catch((err: unknown) => {
      const appErr = toAppError(err);
      if (appErr.status >= 500)
        this.d.logger.error({ err: appErr.cause ?? appErr, type: frame.type }, 'frame failed');
      this.#reply(ws, errorFrame(appErr, 'id' in frame ? frame.id : undefined));
    });
  }

  onOversize(ws: Socket, limit: number): void {
    const err = new AppError('payload_too_large', `Frames are at most ${limit} bytes.`);
    this.#reply(ws, errorFrame(err, undefined));
  }

  onClose(ws: Socket): void {
    const data = ws.getUserData();
    data.closed = true;
    for (const t of data.timers) clearTimeout(t);
    for (const userId of data.watching) void this.#unwatch(ws, userId);
    const session = data.session;
    if (session && this.d.hub.remove(session.userId, ws)) {
      const uid = session.userId;
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
        const messages = await chat.resume(uid, frame.room, frame.after);
        this.#reply(ws, { type: 'resumed', id: frame.id, room: frame.room, messages });
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
        const chats = await chat.chats(uid);
        this.#reply(ws, { type: 'chats', id: frame.id, chats });
        return;
      }
    }
  }

  async #authenticate(ws: Socket, token: string, id: number): Promise<void> {
    const data = ws.getUserData();
    data.authenticating = true;
    let session: Awaited<ReturnType<SessionService['authenticate']>>;
    try {
      session = await this.d.sessions.authenticate(token);
    } catch (err) {
      const appErr = toAppError(err);
      this.#reply(ws, errorFrame(appErr, id));
      const close =
        appErr.code === 'unavailable' ? closeCodes.try_again_later : closeCodes.session_invalid;
      end(ws, close.code, appErr.code);
      return;
    } finally {
      data.authenticating = false;
    }
    if (data.closed) return;
    data.session = session;
    const left = Math.min(session.expiresAt - Date.now(), MAX_TIMER_MS);
    data.timers.push(
      setTimeout(() => end(ws, closeCodes.session_ended.code, 'session expired'), left),
    );
    const uid = session.userId;
    if (this.d.hub.add(uid, ws)) {
      await this.d.engine
        .subscribe(`user:${uid}`, (payload) => this.#fromUserTopic(uid, payload))
        .catch((err: unknown) => this.#warn(err, 'subscribe'));
      void this.d.presence.userConnected(uid).catch((err: unknown) => this.#warn(err, 'presence'));
    }
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
      this.d.hub.deliverToUser(userId, payload);
      return;
    }
    const notice = JSON.parse(payload) as SessionEndedNotice;
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

  #reply(ws: Socket, frame: ServerFrame): void {
    this.d.hub.send(ws, JSON.stringify(frame));
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

function rateLimited(frame: ClientFrame, waitMs: number): ServerFrame {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    type: 'error',
    ...('id' in frame ? { id: frame.id } : {}),
    error: { code: 'rate_limited', message: `Slow down; retry in ${retryAfter} s.`, retryAfter },
  };
}
