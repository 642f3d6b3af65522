import type { ClientFrame, ClientFrameType, ServerFrame } from '@ephemeral-chat/protocol';
import type { BlockService } from '../../services/block-service.js';
import type { ChatService } from '../../services/chat-service.js';
import type { GroupService } from '../../services/group-service.js';
import type { ReportService } from '../../services/moderation/report-service.js';
import type { ActiveSession } from '../../services/sessions.js';
import type { Authenticator } from '../authenticate.js';
import type { ConnectionData, Socket } from '../connection.js';
import type { WatchList } from '../watch-list.js';

/** What the frame handlers call: services, never the stores. */
export interface FrameServices {
  chat: ChatService;
  groups: GroupService;
  blocks: BlockService;
  reports: ReportService;
  auth: Authenticator;
  watches: WatchList;
}

/** One frame's view of its socket. */
export interface FrameContext {
  readonly ws: Socket;
  readonly data: ConnectionData;
  readonly session: ActiveSession | undefined;
  readonly services: FrameServices;
  /** Sends a reply; never throws (a failed write closes only this socket). */
  reply(frame: ServerFrame): void;
  /** Sends a frame serialized already (the stored message JSON is forwarded as is). */
  sendRaw(json: string): void;
}

/** The context of a frame that needs a session: the gateway answers `auth_required` without one. */
export interface SessionContext extends FrameContext {
  readonly session: ActiveSession;
}

export type FrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;

type Run<T extends ClientFrameType, C> = (frame: FrameOf<T>, ctx: C) => Promise<void> | void;

/** The handler of one client frame type; it throws AppError, which the gateway turns into an error frame. */
export type FrameHandler<T extends ClientFrameType> =
  | { readonly needsSession: false; readonly run: Run<T, FrameContext> }
  | { readonly needsSession: true; readonly run: Run<T, SessionContext> };

/** A handler for frames allowed before authentication. */
export const publicFrame = <T extends ClientFrameType>(
  run: Run<T, FrameContext>,
): FrameHandler<T> => ({ needsSession: false, run });

/** A handler for frames that need an authenticated session. */
export const sessionFrame = <T extends ClientFrameType>(
  run: Run<T, SessionContext>,
): FrameHandler<T> => ({ needsSession: true, run });
