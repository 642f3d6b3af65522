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
  sends: TokenBucket;
  frames: TokenBucket;
  /** Users whose presence this socket watches. */
  watching: Set<string>;
  /** Unreadable frames in a row; too many closes the socket. */
  strikes: number;
  closed: boolean;
  /** Frames waiting for this turn's flush (see LocalHub.send); undefined when none. */
  outbox: string[] | undefined;
}

export type Socket = WebSocket<ConnectionData>;
