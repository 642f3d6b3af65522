import type { ChatError, ChatErrorCode, ChatMessage, PublicUser } from '@ephemeral-chat/sdk';

/** `ec-login`: a user is signed in, by the form or by a session that was still valid. */
export interface EcLoginDetail {
  user: PublicUser;
  via: 'login' | 'register' | 'session' | 'host';
}

/** `ec-logout`: the user signed out, the server ended the session, or the user deleted the account. */
export interface EcLogoutDetail {
  reason: 'logout' | 'session-ended' | 'account-deleted';
}

/**
 * `ec-message`: a message arrived in one of the user's chats (the user's own included, once
 * stored). It carries the text: what the host does with it is the host's choice.
 */
export interface EcMessageDetail {
  message: ChatMessage;
  own: boolean;
}

/** `ec-error`: something failed that the user was told about in the widget. */
export interface EcErrorDetail {
  code: ChatErrorCode;
  error: ChatError;
}

/**
 * `ec-unread`: the number of unread messages over all the user's chats changed (the server's
 * count, the same on every device; 0 after sign-out). For a launcher badge.
 */
export interface EcUnreadDetail {
  total: number;
}

/** The DOM events of `<ephemeral-chat>`: all bubble and cross shadow boundaries. */
export interface EphemeralChatEventMap {
  'ec-login': CustomEvent<EcLoginDetail>;
  'ec-logout': CustomEvent<EcLogoutDetail>;
  'ec-message': CustomEvent<EcMessageDetail>;
  'ec-error': CustomEvent<EcErrorDetail>;
  'ec-unread': CustomEvent<EcUnreadDetail>;
}

declare global {
  interface HTMLElementEventMap {
    'ec-login': CustomEvent<EcLoginDetail>;
    'ec-logout': CustomEvent<EcLogoutDetail>;
    'ec-message': CustomEvent<EcMessageDetail>;
    'ec-error': CustomEvent<EcErrorDetail>;
    'ec-unread': CustomEvent<EcUnreadDetail>;
  }
}

/** Dispatches one of the public events from `target`: bubbling, composed, typed. */
export function fire<K extends keyof EphemeralChatEventMap>(
  target: EventTarget,
  type: K,
  detail: EphemeralChatEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
