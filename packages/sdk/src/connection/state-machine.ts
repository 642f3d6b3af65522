/**
 * - `idle`: created, never connected.
 * - `connecting`: the first attempt after `connect()`: socket opening, then authenticating.
 * - `open`: authenticated (`welcome` received); requests flow.
 * - `reconnecting`: the connection was lost; waiting out the backoff or trying again.
 * - `unauthorized`: the server rejected the session (bad, expired or logged-out token). Final
 *   until the app signs in again and calls `connect()`: no reconnect loop.
 * - `closed`: `disconnect()` was called.
 */
export type ConnectionState =
  | 'idle'
  | 'connecting'
  | 'open'
  | 'reconnecting'
  | 'unauthorized'
  | 'closed';

/** Every legal move; anything else is a bug in the client and throws. */
export const transitions: { readonly [S in ConnectionState]: readonly ConnectionState[] } = {
  idle: ['connecting', 'unauthorized', 'closed'],
  connecting: ['open', 'reconnecting', 'unauthorized', 'closed'],
  open: ['reconnecting', 'unauthorized', 'closed'],
  reconnecting: ['open', 'unauthorized', 'closed'],
  unauthorized: ['connecting', 'closed'],
  closed: ['connecting', 'unauthorized'],
};

/** Why the state changed: the close code of a lost socket, the error that ended it. */
export interface StateDetail {
  previous: ConnectionState;
  closeCode?: number;
  error?: Error;
}

/** Holds the state and reports each change once; an illegal transition throws. */
export class StateMachine {
  state: ConnectionState = 'idle';

  constructor(private readonly onChange: (state: ConnectionState, detail: StateDetail) => void) {}

  to(next: ConnectionState, detail: Omit<StateDetail, 'previous'> = {}): void {
    const previous = this.state;
    if (next === previous) return;
    if (!transitions[previous].includes(next)) {
      throw new Error(`ephemeral-chat: illegal connection transition ${previous} → ${next}`);
    }
    this.state = next;
    this.onChange(next, { ...detail, previous });
  }
}
