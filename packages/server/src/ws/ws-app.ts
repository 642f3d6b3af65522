import { errorCodes, errorPayload } from '@ephemeral-chat/protocol';
import type { WsConfig } from '../config/server-options.js';
import type { Logger } from '../logger.js';
import { clientAddress } from '../transport/client-address.js';
import { readCookie, SESSION_COOKIE } from '../transport/cookies.js';
import type { OriginPolicy } from '../transport/origin-policy.js';
import { COMPRESSION_DISABLED, type HttpResponse, type TemplatedApp } from '../uws.js';
import type { ConnectionData } from './connection.js';
import { guardSocket } from './socket-guard.js';
import { TokenBucket } from './token-bucket.js';
import type { WsGateway } from './ws-gateway.js';

export interface WsOptions
  extends Pick<
    WsConfig,
    'idleTimeoutS' | 'maxPayloadBytes' | 'maxBackpressureBytes' | 'frameRate' | 'frameBurst'
  > {
  origins: OriginPolicy;
  trustProxy: boolean;
  logger: Logger;
}

export const HARD_CAP_FACTOR = 4;
/**
 * uWS's own buffer limit, far above ours: past it uWS silently drops frames, the close frame too.
 * LocalHub closes a slow consumer before its buffer passes our limit, so uWS never reaches this.
 */
const uwsBackpressure = (ours: number) => ours * 2 + 256 * 1024;
/** A placeholder until authentication hands the socket its user's shared bucket (`send` needs a session). */
const unauthenticatedSends = new TokenBucket(1, 1);
let nextId = 1;

/**
 * `/ws`: the Origin is checked at upgrade (a page from another site must not ride a user's
 * cookie); oversize frames are refused; idle sockets are pinged and closed.
 */
export function mountWs(app: TemplatedApp, gateway: WsGateway, options: WsOptions): void {
  app.ws<ConnectionData>('/ws', {
    compression: COMPRESSION_DISABLED,
    // uWS drops a connection whose frame exceeds this without a close frame, so it is set above
    // the documented limit: frames between the two get a `payload_too_large` error and the socket
    // lives on; only a grossly oversize frame costs the connection.
    maxPayloadLength: options.maxPayloadBytes * HARD_CAP_FACTOR,
    idleTimeout: Math.max(8, Math.round(options.idleTimeoutS / 4) * 4),
    sendPingsAutomatically: true,
    maxBackpressure: uwsBackpressure(options.maxBackpressureBytes),
    closeOnBackpressureLimit: 0,

    upgrade(res, req, context) {
      try {
        const origin = req.getHeader('origin') || undefined;
        if (options.origins.classify(origin, req.getHeader('host') || undefined) === 'denied') {
          const message = `Origin ${origin} is not allowed here.`;
          const body = JSON.stringify({ error: errorPayload('origin_not_allowed', message) });
          res.cork(() => {
            res.writeStatus(`${errorCodes.origin_not_allowed.status} Forbidden`);
            res.writeHeader('Content-Type', 'application/json; charset=utf-8').end(body);
          });
          return;
        }
        const data: ConnectionData = {
          id: nextId++,
          ip: clientAddress(res, req, options.trustProxy),
          // The cookie rides along on every upgrade to this host, also from a token client in the
          // same browser: it is used only when the client asks for it, so a socket is never
          // silently someone else.
          cookieToken:
            req.getQuery('auth') === 'cookie'
              ? readCookie(req.getHeader('cookie') || undefined, SESSION_COOKIE)
              : undefined,
          session: undefined,
          authenticating: false,
          timers: [],
          sends: unauthenticatedSends,
          frames: new TokenBucket(options.frameRate, options.frameBurst),
          inFlight: 0,
          watching: new Set(),
          strikes: 0,
          closed: false,
          outbox: undefined,
          outboxBytes: 0,
        };
        res.upgrade(
          data,
          req.getHeader('sec-websocket-key'),
          req.getHeader('sec-websocket-protocol'),
          req.getHeader('sec-websocket-extensions'),
          context,
        );
      } catch (err) {
        options.logger.error({ err }, 'ws upgrade failed');
        refuseUpgrade(res);
      }
    },
    // Nothing a client sends may throw into uWS: each callback ends only its own socket on error.
    open: guardSocket(options.logger, 'open', (ws) => gateway.onOpen(ws)),
    message: guardSocket(
      options.logger,
      'message',
      (ws, message: ArrayBuffer, isBinary: boolean) => {
        if (message.byteLength > options.maxPayloadBytes)
          gateway.onOversize(ws, options.maxPayloadBytes);
        else gateway.onMessage(ws, message, isBinary);
      },
    ),
    close: guardSocket(options.logger, 'close', (ws) => gateway.onClose(ws)),
  });
}

/** 500 for an upgrade that failed before it was answered (answered already: nothing to do). */
function refuseUpgrade(res: HttpResponse): void {
  try {
    res.cork(() => {
      res.writeStatus('500 Internal Server Error');
      res.writeHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error: errorPayload('internal', 'Upgrade failed.') }));
    });
  } catch {
    // The response was already used (upgraded or ended).
  }
}
