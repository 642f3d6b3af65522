import type { Message } from '@ephemeral-chat/protocol';
import type { ServerClock } from './clock.js';

/** A stored message as the SDK hands it out: frozen, with its time left by the server's clock. */
export interface ChatMessage extends Readonly<Message> {
  /** Milliseconds until `expiresAt` by server time; 0 once it has expired. */
  remaining(): number;
}

export function toChatMessage(m: Message, clock: ServerClock): ChatMessage {
  // Clamped to the TTL: the clock-offset estimate can put "now" a few ms before createdAt.
  return Object.freeze({
    ...m,
    remaining: () => Math.min(m.ttl, Math.max(0, m.expiresAt - clock.now())),
  });
}

/** Unexpired by the server's clock. */
export const alive = (m: { expiresAt: number }, clock: ServerClock): boolean =>
  m.expiresAt > clock.now();
