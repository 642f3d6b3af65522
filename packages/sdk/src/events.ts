import type { ChatSettings, Group, GroupChange } from '@ephemeral-chat/protocol';
import type { ConnectionState, StateDetail } from './connection/state-machine.js';
import type { ChatError } from './errors.js';
import type { ChatMessage } from './message.js';

/** `userId` (the peer, or a member of a group) in `room` started or stopped typing. */
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

/** The peer's client (`userId`) received `room` up to `seq`. */
export type DeliveredEvent = ReadEvent;

/** Message `seq` of `room` now expires at `expiresAt` (server time): its burn started. No text. */
export interface ExpiryEvent {
  room: string;
  seq: number;
  expiresAt: number;
}

/** `by` (a member) set the chat's defaults for new messages at `at` (server time). */
export interface SettingsEvent {
  room: string;
  settings: ChatSettings;
  by: string;
  at: number;
}

/** The user's count of the peer's messages in `room` that expired unread changed. */
export interface UnseenEvent {
  room: string;
  unseenExpired: number;
}

/** Message `seq` of `room` was unsent by its sender: gone from every API. No text. */
export interface UnsentEvent {
  room: string;
  seq: number;
}

/**
 * Group `room` changed at `at` (server time): `change` says what and who did it; `group` is its
 * new state, absent when the user was removed or left (the client then drops the group).
 */
export interface GroupEvent {
  room: string;
  group?: Group | undefined;
  change: GroupChange;
  at: number;
}

/** The user is no longer a member of group `room`: its chat and messages are gone. */
export interface LeftEvent {
  room: string;
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
  /** The peer of a room (or another member of a group) started or stopped typing. */
  typing: (event: TypingEvent) => void;
  /** A watched user came online or went offline. */
  presence: (event: PresenceEvent) => void;
  /** A member of a room read it up to a seq: the peer (a receipt) or the user elsewhere. */
  read: (event: ReadEvent) => void;
  /** The peer's client received a room up to a seq (a delivery receipt). */
  delivered: (event: DeliveredEvent) => void;
  /** A message expires earlier than it said: the recipient read it, its burn started. */
  expiry: (event: ExpiryEvent) => void;
  /** A member changed a chat's defaults for new messages (`ttl`, `burn`). */
  settings: (event: SettingsEvent) => void;
  /** The user's unseen-expired count of a room changed (a read reset it, or one expired unread). */
  unseen: (event: UnseenEvent) => void;
  /** A message was unsent by its sender: it already left the cache (and `messages()`). */
  unsent: (event: UnsentEvent) => void;
  /** A group of the user changed: created, members added, removed or left, renamed, admins. */
  group: (event: GroupEvent) => void;
  /**
   * The user left a group or was removed (also found at a reconnect): its `GroupChat` and held
   * messages are dropped, and nothing more comes from it.
   */
  left: (event: LeftEvent) => void;
  /** A failure no call can report: a stray error frame, a failed resume. */
  error: (error: ChatError) => void;
}

/** Every event of one `Chat`, with its listener's signature. */
export interface ChatEvents {
  /** A new message in this chat (live, resumed or own), once per seq; after the client's. */
  message: (message: ChatMessage) => void;
  /** A held message of this chat reached its `expiresAt` and is gone from `messages()`. */
  expired: (message: ChatMessage) => void;
  /** A member read this chat: `peerReadSeq`, a group's `reads` or `unread` is already updated. */
  read: (event: ReadEvent) => void;
  /** The peer's client received this chat up to a seq: `peerDeliveredSeq` is updated. */
  delivered: (event: DeliveredEvent) => void;
  /** A message of this chat now expires earlier (its burn started); `messages()` has the new time. */
  expiry: (event: ExpiryEvent) => void;
  /** A member changed this chat's defaults: `settings` is updated. */
  settings: (event: SettingsEvent) => void;
  /** `unseenExpired` changed. */
  unseen: (event: UnseenEvent) => void;
  /** A message of this chat was unsent: it left `messages()`, `unread` is updated. */
  unsent: (event: UnsentEvent) => void;
}

/** Every event of one `GroupChat`: those of a chat (but `delivered` and `unseen`), and more. */
export interface GroupChatEvents extends ChatEvents {
  /** The group changed: `group` (name, members, admins) is updated already. */
  group: (event: GroupEvent) => void;
  /** The user is no longer a member: this chat is closed and its messages are dropped. */
  left: (event: LeftEvent) => void;
}
