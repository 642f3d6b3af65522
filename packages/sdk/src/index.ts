// The protocol's types an app handles, so it need not depend on the protocol (values: ./constants).
export type {
  ChatSettings,
  Group,
  GroupChange,
  GroupMember,
  GroupSummary,
  Message,
  PublicUser,
  ReportReason,
  SearchResult,
} from '@ephemeral-chat/protocol';
export { backoffDelay } from './backoff.js';
export { Chat, type ChatState, type MessageState, type Peer } from './chat.js';
export {
  type ChatSummary,
  Client,
  createClient,
  type GroupChatSummary,
  isGroupRoom,
} from './client.js';
export type { ServerClock } from './clock.js';
export type { ConnectionState, StateDetail } from './connection/state-machine.js';
export { Conversation, type HistoryPage } from './conversation.js';
export {
  ChatError,
  type ChatErrorCode,
  type ClientErrorCode,
  clientErrorCodes,
  isChatError,
} from './errors.js';
export type {
  ChatEvents,
  ClientEvents,
  DeliveredEvent,
  ExpiryEvent,
  GroupChatEvents,
  GroupEvent,
  LeftEvent,
  PresenceEvent,
  ReadEvent,
  SettingsEvent,
  TypingEvent,
  UnseenEvent,
  UnsentEvent,
} from './events.js';
export { GroupChat, type Seeable } from './group-chat.js';
export type { Credentials, Session } from './http/api.js';
export type { ChatMessage } from './message.js';
export { type ClientOptions, defaultOptions, type ResolvedOptions } from './options.js';
export type { FetchLike, WebSocketConstructor, WebSocketLike } from './platform.js';
export {
  type Reportable,
  type ReportOptions,
  reportCopiesMax,
  reportGraceMs,
} from './safety.js';
export { memoryTokenStore, type TokenStore } from './token-store.js';
