export type { BubbleMessage } from './components/message-bubble.js';
export { EphemeralChat } from './ephemeral-chat.js';
export type {
  EcErrorDetail,
  EcLoginDetail,
  EcLogoutDetail,
  EcMessageDetail,
  EcUnreadDetail,
  EphemeralChatEventMap,
} from './events.js';
export { defaultStrings, type StringOverrides, type Strings } from './strings.js';
export type { Theme } from './theme/theme.js';
