import type { ActiveSession } from '../services/sessions.js';
import type { WebSocket } from '../uws.js';
import type { TokenBucket } from './token-bucket.js';

/** Per-socket state, attached at upgrade (uWS user data). */
export interface ConnectionData {
  id: number;
  ip: string;
  /** The session cookie from the upgrade request, when the browser sent one. */
  cookieToken: string | undefined;
  session: ActiveSession | undefined;
  authenticating: boolean;
  timers: NodeJS.Timeout[];
  /** `send` frames: the user's bucket, shared by their sockets on this node, once authenticated. */
  sends: TokenBucket;
  /** All frames, oversize ones included: per socket. */
  frames: TokenBucket;
  /** This socket's handlers still pending; bounded by WS_MAX_IN_FLIGHT. */
  inFlight: number;
  /** Users whose presence this socket watches. */
  watching: Set<string>;
  /** Unreadable frames in a row; too many closes the socket. */
  strikes: number;
  closed: boolean;
  /** Frames waiting for this turn's flush (see LocalHub.send); undefined when none. */
  outbox: string[] | undefined;
  /** Length of the queued frames (UTF-16 units): bounded like the socket's buffer. */
  outboxBytes: number;
}

export type Socket = WebSocket<ConnectionData>;
