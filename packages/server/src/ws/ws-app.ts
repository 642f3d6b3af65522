import { errorCodes } from '@ephemeral-chat/protocol';
import { readCookie, SESSION_COOKIE } from '../http/cookies.js';
import type { OriginPolicy } from '../http/origin-policy.js';
import { COMPRESSION_DISABLED, type TemplatedApp } from '../uws.js';
import type { ConnectionData } from './connection.js';
import { TokenBucket } from './token-bucket.js';
import type { WsGateway } from './ws-gateway.js';

export interface WsOptions {
  origins: OriginPolicy;
  trustProxy: boolean;
  idleTimeoutS: number;
  maxPayloadBytes: number;
  maxBackpressureBytes: number;
  sendRate: number;
  sendBurst: number;
  frameRate: number;
  frameBurst: number;
}

const decoder = new TextDecoder();
export const HARD_CAP_FACTOR = 4;
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
    maxBackpressure: options.maxBackpressureBytes,
    closeOnBackpressureLimit: 0,

    upgrade(res, req, context) {
      const origin = req.getHeader('origin') || undefined;
      if (options.origins.classify(origin, req.getHeader('host') || undefined) === 'denied') {
        const body = JSON.stringify({
          error: { code: 'origin_not_allowed', message: `Origin ${origin} is not allowed here.` },
        });
        res.cork(() => {
          res.writeStatus(`${errorCodes.origin_not_allowed.status} Forbidden`);
          res.writeHeader('Content-Type', 'application/json; charset=utf-8').end(body);
        });
        return;
      }
      const forwarded = options.trustProxy ? req.getHeader('x-forwarded-for') : '';
      const data: ConnectionData = {
        id: nextId++,
        ip: forwarded.split(',').at(-1)?.trim() || decoder.decode(res.getRemoteAddressAsText()),
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
        sends: new TokenBucket(options.sendRate, options.sendBurst),
        frames: new TokenBucket(options.frameRate, options.frameBurst),
        watching: new Set(),
        strikes: 0,
        closed: false,
        outbox: undefined,
      };
      res.upgrade(
        data,
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open: (ws) => gateway.onOpen(ws),
    message: (ws, message, isBinary) => {
      if (message.byteLength > options.maxPayloadBytes)
        gateway.onOversize(ws, options.maxPayloadBytes);
      else gateway.onMessage(ws, message, isBinary);
    },
    close: (ws) => gateway.onClose(ws),
  });
}
