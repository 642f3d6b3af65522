// The protocol's types an app handles, so it need not depend on the protocol (values: ./constants).
export type { ChatSettings, Message, PublicUser, SearchResult } from '@ephemeral-chat/protocol';
export { backoffDelay } from './backoff.js';
export { Chat, type ChatState, type HistoryPage, type MessageState, type Peer } from './chat.js';
export { type ChatSummary, Client, createClient } from './client.js';
export type { ServerClock } from './clock.js';
export type { ConnectionState, StateDetail } from './connection/state-machine.js';
export {
  ChatError,
  type ChatErrorCode,
  type ClientErrorCode,
  clientErrorCodes,
} from './errors.js';
export type {
  ChatEvents,
  ClientEvents,
  DeliveredEvent,
  ExpiryEvent,
  PresenceEvent,
  ReadEvent,
  SettingsEvent,
  TypingEvent,
  UnseenEvent,
  UnsentEvent,
} from './events.js';
export type { Credentials, Session } from './http/api.js';
export type { ChatMessage } from './message.js';
export { type ClientOptions, defaultOptions, type ResolvedOptions } from './options.js';
export type { FetchLike, WebSocketConstructor, WebSocketLike } from './platform.js';
export { memoryTokenStore, type TokenStore } from './token-store.js';
