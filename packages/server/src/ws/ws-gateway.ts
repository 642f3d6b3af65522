import { type ClientFrame, type ClientFrameType, closeCodes } from '@ephemeral-chat/protocol';
import type { WsConfig } from '../config/server-options.js';
import { GroupRooms } from '../delivery/group-rooms.js';
import { end, type LocalHub } from '../delivery/local-hub.js';
import { UserTopic } from '../delivery/user-topic.js';
import type { Bus } from '../engine/bus/bus.js';
import { AppError, toAppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { BlockService } from '../services/block-service.js';
import type { ChatService } from '../services/chat-service.js';
import type { GroupService } from '../services/group-service.js';
import type { HostSignIn } from '../services/host-identity/host-sign-in.js';
import type { ReportService } from '../services/moderation/report-service.js';
import type { PresenceService } from '../services/presence-service.js';
import type { SessionService } from '../services/sessions.js';
import { Authenticator } from './authenticate.js';
import type { ConnectionData, Socket } from './connection.js';
import { authRequired as authRequiredFrame, errorFrame, rateLimited } from './error-frames.js';
import { decodeFrame } from './frame-decoder.js';
import { FrameCall } from './frames/frame-call.js';
import { type FrameHandler, type FrameServices, frameHandlers } from './frames/index.js';
import { Replier } from './replier.js';
import type { UserSendBuckets } from './user-send-buckets.js';
import { WatchList } from './watch-list.js';

const MAX_STRIKES = 10;
/** What #dispatch returns when it answered `auth_required` itself (counted as that result). */
const authRequired = 'auth_required';

export interface GatewayDeps {
  bus: Bus;
  sessions: SessionService;
  chat: ChatService;
  groups: GroupService;
  blocks: BlockService;
  reports: ReportService;
  presence: PresenceService;
  hub: LocalHub;
  logger: Logger;
  options: Pick<WsConfig, 'authTimeoutMs' | 'maxSocketsPerUser' | 'maxInFlight'>;
  userSends: UserSendBuckets;
  /** Host-token sign-in for the `auth` frame's `hostToken`. */
  hostSignIn?: HostSignIn | undefined;
  /** Connections, authentications and frames counted; unset when metrics are off. */
  metrics?: ServerMetrics | undefined;
}

/**
 * The socket lifecycle: open (auth timeout, cookie auth), message (decode, strikes, frame rate,
 * in-flight bound, dispatch through `frameHandlers`), close (hub, watches, presence).
 */
export class WsGateway {
  readonly #replier: Replier;
  readonly #userTopic: UserTopic;
  readonly #groupRooms: GroupRooms;
  readonly #services: FrameServices;

  constructor(private readonly d: GatewayDeps) {
    this.#replier = new Replier(d.hub, d.logger);
    this.#groupRooms = new GroupRooms({
      bus: d.bus,
      hub: d.hub,
      roomsOf: (userId) => d.groups.roomsOf(userId),
      logger: d.logger,
    });
    this.#userTopic = new UserTopic(d.bus, d.hub, (userId, payload) =>
      this.#groupRooms.changed(userId, payload),
    );
    const auth = new Authenticator({
      sessions: d.sessions,
      presence: d.presence,
      hub: d.hub,
      userTopic: this.#userTopic,
      groupRooms: this.#groupRooms,
      userSends: d.userSends,
      replier: this.#replier,
      logger: d.logger,
      maxSocketsPerUser: d.options.maxSocketsPerUser,
      hostSignIn: d.hostSignIn,
      metrics: d.metrics,
    });
    const watches = new WatchList(d.hub, d.presence);
    this.#services = {
      chat: d.chat,
      groups: d.groups,
      blocks: d.blocks,
      reports: d.reports,
      auth,
      watches,
    };
    // A block ends the pair's watches on this node; after an unblock, the next `presence` watches again.
    d.blocks.onChange((a, b) => watches.dropPair(a, b));
  }

  onOpen(ws: Socket): void {
    const data = ws.getUserData();
    this.d.metrics?.connectionOpened();
    data.timers.push(
      setTimeout(() => {
        if (!data.session) end(ws, closeCodes.auth_timeout.code, 'auth timeout');
      }, this.d.options.authTimeoutMs),
    );
    if (data.cookieToken) {
      this.#services.auth
        .authenticate(ws, data.cookieToken, 0)
        .catch((err: unknown) => this.#replier.failed(ws, err));
    }
  }

  onMessage(ws: Socket, message: ArrayBuffer, isBinary: boolean): void {
    const data = ws.getUserData();
    const decoded = decodeFrame(message, isBinary);
    if ('error' in decoded) {
      this.d.metrics?.frame('invalid', decoded.error.code);
      this.#replier.reply(ws, errorFrame(decoded.error, decoded.id));
      if (++data.strikes > MAX_STRIKES)
        end(ws, closeCodes.protocol_violation.code, 'too many bad frames');
      return;
    }
    data.strikes = 0;
    const frame = decoded.frame;
    const wait = data.frames.take();
    if (wait > 0) {
      this.d.metrics?.frame(frame.type, 'rate_limited');
      this.#replier.reply(ws, rateLimited(frame, wait));
      return;
    }
    // Bounds the memory one socket can tie up in pending handlers (and their replies).
    if (data.inFlight >= this.d.options.maxInFlight) {
      this.d.metrics?.frame(frame.type, 'rate_limited');
      this.#replier.reply(ws, rateLimited(frame, 1000, 'Too many requests in flight'));
      return;
    }
    data.inFlight++;
    void this.#run(ws, frame, data);
  }

  /** Runs one frame's handler; every error it throws ends in an error frame, never a rejection. */
  async #run(ws: Socket, frame: ClientFrame, data: ConnectionData): Promise<void> {
    let result = 'ok';
    try {
      const outcome = this.#dispatch(ws, frame, data);
      if (outcome === authRequired) result = outcome;
      else await outcome;
    } catch (err) {
      try {
        const appErr = toAppError(err);
        result = appErr.code;
        if (appErr.status >= 500)
          this.d.logger.error({ err: appErr.cause ?? appErr, type: frame.type }, 'frame failed');
        this.#replier.reply(ws, errorFrame(appErr, 'id' in frame ? frame.id : undefined));
      } catch (failure) {
        this.#replier.failed(ws, failure);
      }
    } finally {
      data.inFlight--;
      this.d.metrics?.frame(frame.type, result);
    }
  }

  /** Not async itself: the handler's promise is awaited once, in #run (one promise less per frame). */
  #dispatch(
    ws: Socket,
    frame: ClientFrame,
    data: ConnectionData,
  ): Promise<void> | void | typeof authRequired {
    // The table is keyed by type, so this handler takes this frame: TS cannot correlate the two.
    const handler = frameHandlers[frame.type] as FrameHandler<ClientFrameType>;
    const session = data.session;
    if (!handler.needsSession) {
      const call = new FrameCall(ws, data, session, this.#services, this.#replier, this.d.hub);
      return handler.run(frame, call);
    }
    if (!session) {
      this.#replier.reply(ws, authRequiredFrame(frame));
      return authRequired;
    }
    return handler.run(
      frame,
      new FrameCall(ws, data, session, this.#services, this.#replier, this.d.hub),
    );
  }

  /** A frame over the payload limit (not read): a strike, and a token of the frame rate. */
  onOversize(ws: Socket, limit: number): void {
    const data = ws.getUserData();
    const err = new AppError('payload_too_large', `Frames are at most ${limit} bytes.`);
    this.#replier.reply(ws, errorFrame(err, undefined));
    data.frames.take();
    if (++data.strikes > MAX_STRIKES)
      end(ws, closeCodes.protocol_violation.code, 'too many bad frames');
  }

  onClose(ws: Socket): void {
    const data = ws.getUserData();
    this.d.metrics?.connectionClosed();
    data.closed = true;
    for (const t of data.timers) clearTimeout(t);
    for (const userId of data.watching) void this.#services.watches.unwatch(ws, userId);
    const session = data.session;
    if (session && this.d.hub.remove(session.userId, ws)) {
      const uid = session.userId;
      this.d.userSends.release(uid);
      this.#userTopic.unsubscribe(uid);
      this.#groupRooms.userGone(uid);
      void this.d.presence
        .userDisconnected(uid)
        .catch((err: unknown) =>
          this.d.logger.warn({ err: (err as Error).message }, 'presence failed'),
        );
    }
  }
}
