import type { ServerFrame } from '@ephemeral-chat/protocol';
import type { LocalHub } from '../../delivery/local-hub.js';
import type { ActiveSession } from '../../services/sessions.js';
import type { ConnectionData, Socket } from '../connection.js';
import type { Replier } from '../replier.js';
import type { FrameContext, FrameServices } from './context.js';

/** The context one frame's handler runs with (a class: one small object per frame, no closures). */
export class FrameCall<S extends ActiveSession | undefined> implements FrameContext {
  constructor(
    readonly ws: Socket,
    readonly data: ConnectionData,
    readonly session: S,
    readonly services: FrameServices,
    private readonly replier: Replier,
    private readonly hub: LocalHub,
  ) {}

  reply(frame: ServerFrame): void {
    this.replier.reply(this.ws, frame);
  }

  sendRaw(json: string): void {
    this.hub.send(this.ws, json);
  }
}
