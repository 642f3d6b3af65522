import type { ConnectionState, StateDetail } from './connection/state-machine.js';
import type { ChatError } from './errors.js';
import type { ChatMessage } from './message.js';

/** The peer in `room` started or stopped typing. */
export interface TypingEvent {
  room: string;
  userId: string;
  typing: boolean;
}

/** `userId` (the peer, or the user on another device) read `room` up to `seq`. */
export interface ReadEvent {
  room: string;
  userId: string;
  seq: number;
}

/** A watched user's presence. */
export interface PresenceEvent {
  userId: string;
  online: boolean;
}

/** Every event of a client, with its listener's signature. */
export interface ClientEvents {
  /** The connection moved to another state; `detail` has the previous one and why. */
  state: (state: ConnectionState, detail: StateDetail) => void;
  /** A new message in one of the user's rooms (live, resumed or own), once per (room, seq). */
  message: (message: ChatMessage) => void;
  /** A held message reached its `expiresAt` (server time) and is gone from every API. */
  expired: (message: ChatMessage) => void;
  /** The peer of a room started or stopped typing. */
  typing: (event: TypingEvent) => void;
  /** A watched user came online or went offline. */
  presence: (event: PresenceEvent) => void;
  /** A member of a room read it up to a seq: the peer (a receipt) or the user elsewhere. */
  read: (event: ReadEvent) => void;
  /** A failure no call can report: a stray error frame, a failed resume. */
  error: (error: ChatError) => void;
}

/** Every event of one `Chat`, with its listener's signature. */
export interface ChatEvents {
  /** A new message in this chat (live, resumed or own), once per seq; after the client's. */
  message: (message: ChatMessage) => void;
  /** A held message of this chat reached its `expiresAt` and is gone from `messages()`. */
  expired: (message: ChatMessage) => void;
}
