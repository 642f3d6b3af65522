import type { ChatErrorCode } from '@ephemeral-chat/sdk';

/**
 * Every text the widget shows or announces. Override any of them through the element's `strings`
 * property; `{name}`-style placeholders are filled in by `fill`.
 */
export const defaultStrings = {
  title: 'Chat',
  signInHeading: 'Sign in',
  registerHeading: 'Create an account',
  username: 'Username',
  password: 'Password',
  signIn: 'Sign in',
  register: 'Create account',
  toRegister: 'New here? Create an account',
  toSignIn: 'Have an account? Sign in',
  working: 'One moment…',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {name}',
  searchLabel: 'Find people',
  searchPlaceholder: 'Search by username',
  searchNone: 'Nobody found for “{query}”.',
  chats: 'Chats',
  noChats: 'No chats yet. Find someone above to start one.',
  pickChat: 'Pick a chat, or find someone to talk to.',
  unread: '{count} unread',
  you: 'You',
  online: 'online',
  offline: 'offline',
  back: 'Back to chats',
  messagesWith: 'Messages with {name}',
  noMessages: 'No messages yet. What you send here disappears on its own.',
  earlier: 'Show earlier messages',
  composerLabel: 'Message to {name}',
  composerPlaceholder: 'Write a message… (Enter sends, Shift+Enter adds a line)',
  send: 'Send',
  sending: 'Sending…',
  expiryLabel: 'Disappears after',
  burnLabel: 'Once read, disappears after',
  burnOff: 'no sooner',
  expiresIn: 'Disappears in {time}',
  /** The visible countdown beside its icon. */
  countdown: 'disappears in {time}',
  /** A message sent with burn after reading that has not been read yet. */
  burnPending: 'disappears {time} after it is read',
  sent: 'Sent',
  delivered: 'Delivered',
  seen: 'Seen',
  /** In place of one of the user's messages that expired before the peer read it (no text). */
  expiredUnseen: 'Your message expired before it was seen',
  unseenOne: '1 message expired before you read it',
  unseenMany: '{count} messages expired before you read them',
  settingsTtl: '{name} set new messages to disappear {ttl} after they are sent',
  settingsBurn: '{name} set new messages to disappear {burn} after they are read',
  /** Tab title with the unread count (`title-badge`). */
  titleBadge: '({count}) {title}',
  enableNotifications: 'Turn on notifications',
  /** Desktop notifications never carry the text, only who wrote. */
  notificationTitle: 'New message',
  notificationBody: 'New message from {name}',
  typing: '{name} is typing…',
  jumpToLatest: 'New messages ↓',
  announceOne: 'New message from {name}',
  announceMany: '{count} new messages',
  someone: 'someone',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  unreachable: 'Cannot reach the chat server.',
  sessionEnded: 'Your session ended. Please sign in again.',
  noServer: 'No chat server is configured (set the server attribute).',
  retry: 'Retry',
  dismiss: 'Dismiss',
  theme: 'Theme: {theme}',
  themeAuto: 'automatic',
  themeLight: 'light',
  themeDark: 'dark',
  /** Texts for error codes; a code without one shows the server's own message. */
  errors: {
    network: 'Cannot reach the chat server. Check your connection and try again.',
    timeout: 'The chat server did not answer in time. Try again.',
    invalid_credentials: 'Wrong username or password.',
    username_taken: 'That username is taken.',
    rate_limited: 'Too many attempts. Try again in {seconds} s.',
    message_too_long: 'That message is too long.',
    expired: 'The message expired before it could be sent.',
    not_connected: 'Not connected to the chat server.',
    user_not_found: 'No user has that name.',
  } as Partial<Record<ChatErrorCode, string>>,
};

/** The full set of UI strings. */
export type Strings = typeof defaultStrings;

/** What a host may pass: any subset, including a subset of `errors`. */
export type StringOverrides = Partial<Omit<Strings, 'errors'>> & { errors?: Strings['errors'] };

/** The defaults with `overrides` on top (`errors` merged key by key). */
export function mergeStrings(overrides: StringOverrides | undefined): Strings {
  if (!overrides) return defaultStrings;
  return {
    ...defaultStrings,
    ...overrides,
    errors: { ...defaultStrings.errors, ...overrides.errors },
  };
}

/** Fills `{key}` placeholders; unknown ones stay as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
}
