/** The parts of a stored message the soak reads (docs/protocol.md, "Messages"). */
export interface WireMessage {
  room: string;
  seq: number;
  from: string;
  clientMsgId: string;
  expiresAt: number;
}

/** How a message reached a client: a reply entry, a live event, or the sender's own ack. */
export type Source = 'live' | 'resumed' | 'history' | 'opened' | 'ack';

/** A message's identity across every path and every seq: its sender and client message id. */
export const keyOf = (from: string, clientMsgId: string) => `${from}:${clientMsgId}`;

/** Reads a message out of an untrusted frame field; undefined when it lacks what we count by. */
export function readMessage(value: unknown): WireMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (
    typeof m.room !== 'string' ||
    typeof m.seq !== 'number' ||
    typeof m.from !== 'string' ||
    typeof m.clientMsgId !== 'string' ||
    typeof m.expiresAt !== 'number'
  ) {
    return undefined;
  }
  return {
    room: m.room,
    seq: m.seq,
    from: m.from,
    clientMsgId: m.clientMsgId,
    expiresAt: m.expiresAt,
  };
}

export function readMessages(value: unknown): WireMessage[] {
  if (!Array.isArray(value)) return [];
  return value.map(readMessage).filter((m): m is WireMessage => m !== undefined);
}
