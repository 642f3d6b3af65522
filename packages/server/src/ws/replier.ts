import type { ServerFrame } from '@ephemeral-chat/protocol';
import type { LocalHub } from '../delivery/local-hub.js';
import type { Logger } from '../logger.js';
import type { Socket } from './connection.js';
import { closeInternal } from './socket-guard.js';

/** Writes replies to one socket at a time; a failure ends only that socket. */
export class Replier {
  constructor(
    private readonly hub: LocalHub,
    private readonly logger: Logger,
  ) {}

  /** Never throws: a socket closed meanwhile (uWS throws on any access to it) gets nothing. */
  reply(ws: Socket, frame: ServerFrame): void {
    try {
      this.hub.send(ws, JSON.stringify(frame));
    } catch (err) {
      this.failed(ws, err);
    }
  }

  /** The error path's own failure: logged, and only that socket is closed (1011). */
  failed(ws: Socket, err: unknown): void {
    this.logger.error({ err }, 'ws reply failed; closing that socket');
    closeInternal(ws);
  }
}
