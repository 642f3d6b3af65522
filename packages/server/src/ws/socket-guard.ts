import { closeCodes } from '@ephemeral-chat/protocol';
import { end } from '../delivery/local-hub.js';
import type { Logger } from '../logger.js';
import type { Socket } from './connection.js';

/**
 * The last guard around a uWS socket callback: an exception must never reach uWS (it would take
 * the process, and every user on the node, with it). It is logged and ends only that socket, with
 * 1011 (RFC 6455 §7.4.1: an unexpected condition).
 */
export function guardSocket<A extends unknown[]>(
  logger: Logger,
  what: string,
  fn: (ws: Socket, ...args: A) => void,
): (ws: Socket, ...args: A) => void {
  return (ws, ...args) => {
    try {
      fn(ws, ...args);
    } catch (err) {
      logger.error({ err }, `ws ${what} handler failed; closing that socket`);
      closeInternal(ws);
    }
  };
}

/** Ends a socket with 1011; a socket already closed (uWS throws on any access) is left alone. */
export function closeInternal(ws: Socket): void {
  try {
    end(ws, closeCodes.internal_error.code, 'internal error');
  } catch {
    // Closed already: nothing to end.
  }
}
