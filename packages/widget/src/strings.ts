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
  /** `unseenOne` or `unseenMany` by the language's plural rules (`plural`). */
  unseenOne: '{count} message expired before you read it',
  unseenMany: '{count} messages expired before you read them',
  settingsTtl: '{name} set new messages to disappear {ttl} after they are sent',
  settingsBurn: '{name} set new messages to disappear {burn} after they are read',
  settingsTtlByYou: 'You set new messages to disappear {ttl} after they are sent',
  settingsBurnByYou: 'You set new messages to disappear {burn} after they are read',
  /** Tab title with the unread count (`title-badge`). */
  titleBadge: '({count}) {title}',
  enableNotifications: 'Turn on notifications',
  /** Desktop notifications never carry the text, only who wrote. */
  notificationTitle: 'New message',
  notificationBody: 'New message from {name}',
  typing: '{name} is typing…',
  /** Several members of a group typing; `{names}` is a list in the locale's words. */
  typingMany: '{names} are typing…',
  newGroup: 'New group',
  /** Group mode of the search: the results toggle who is in the new group. */
  newGroupHint: 'Pick people from the search results, then name the group.',
  groupName: 'Group name',
  createGroup: 'Create group',
  cancel: 'Cancel',
  picked: 'In the new group',
  unpick: 'Take {name} out of the new group',
  group: 'Group',
  members: '{count} members',
  membersOnline: '{count} members, {online} online',
  membersButton: 'Members',
  messagesIn: 'Messages in {name}',
  admin: 'admin',
  makeAdmin: 'Make admin',
  makeAdminLabel: 'Make {name} an admin',
  unmakeAdmin: 'Remove as admin',
  unmakeAdminLabel: 'Remove {name} as admin',
  removeMember: 'Remove',
  removeMemberLabel: 'Remove {name} from the group',
  rename: 'Rename',
  addPeople: 'Add people',
  addPerson: 'Add {name}',
  leaveGroup: 'Leave group',
  /** Under the user's own message in a group: how many of those who could see it have read it. */
  seenBy: 'Seen by {count} of {total}',
  groupCreated: '{name} created the group “{group}”',
  groupAdded: '{name} added {names}',
  groupRemoved: '{name} removed {names}',
  groupLeft: '{names} left',
  groupRenamed: '{name} renamed the group to “{group}”',
  groupAdminOn: '{name} made {names} an admin',
  groupAdminOff: '{name} removed {names} as admin',
  groupCreatedByYou: 'You created the group “{group}”',
  groupAddedByYou: 'You added {names}',
  groupRemovedByYou: 'You removed {names}',
  groupRenamedByYou: 'You renamed the group to “{group}”',
  groupAdminOnByYou: 'You made {names} an admin',
  groupAdminOffByYou: 'You removed {names} as admin',
  groupAddedYou: '{name} added you',
  groupAddedYouAnd: '{name} added you and {names}',
  groupAdminOnYou: '{name} made you an admin',
  groupAdminOffYou: '{name} removed you as admin',
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
  /** The 1:1 chat's menu button (block, report). */
  chatMenu: 'More actions for {name}',
  block: 'Block {name}',
  unblock: 'Unblock {name}',
  blockedNotice: 'You blocked {name}. Neither of you can message the other until you unblock them.',
  unblockedNotice: 'You unblocked {name}.',
  report: 'Report {name}…',
  reportHeading: 'Report {name}',
  reportReason: 'Why are you reporting {name}?',
  reasonSpam: 'Spam',
  reasonHarassment: 'Harassment or bullying',
  reasonHate: 'Hate speech',
  reasonSexual: 'Sexual content',
  reasonViolence: 'Violence or threats',
  reasonSelfHarm: 'Self-harm or suicide',
  reasonOther: 'Something else',
  reportComment: 'Anything the moderators should know? (optional)',
  reportAlsoBlock: 'Also block {name}',
  /** What a report sends: a count, never the text (`{minutes}`: how long a gone message counts). */
  reportWhat:
    "{name}'s last {count} messages go to this chat's moderators, including any that disappeared in the last {minutes} minutes. {name} is not told.",
  reportNothing:
    'Nothing from {name} to report: only messages on screen, or gone less than {minutes} minutes ago, can be reported.',
  reportSend: 'Send report',
  reportSent: 'Thank you. Your report about {name} was sent to the moderators.',
  reportSentBlocked: 'Thank you. Your report was sent, and {name} is blocked.',
  deleteAccount: 'Delete account',
  deleteHeading: 'Delete your account?',
  deleteExplain:
    'Your account, your chats and every message you sent are deleted at once, for everyone, and cannot be brought back. Enter your password to confirm.',
  deleteConfirm: 'Delete my account',
  wrongPassword: 'That is not your password.',
  accountDeleted: 'Your account was deleted.',
  /** The launcher's floating button (`mode="launcher"`); the unread count follows it. */
  launcherLabel: 'Chat',
  closeChat: 'Close chat',
  /** Under the message box near the length limit. */
  charCount: '{count} of {max} characters',
  tooLongBy: 'Too long by {count} characters: shorten it to send.',
  usernameRules: '{min}–{max} characters: letters A–Z, digits and _',
  passwordRules: 'At least {min} characters',
  usernameRequired: 'Enter your username.',
  passwordRequired: 'Enter your password.',
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
    not_admin: 'Only an admin of the group may do this.',
    group_full: 'The group is full.',
    too_many_groups: 'Someone is in too many groups already.',
    forbidden: 'You are not a member of that chat.',
    /** Neutral on purpose: the same whichever side blocked (docs/protocol.md, Blocking). */
    blocked: "You can't message this user.",
    message_expired: 'That message is gone, and this device kept no copy of it to report.',
    evidence_rejected: 'That message could not be verified, so it was not reported.',
    account_suspended: 'This account has been suspended.',
    /** End users cannot change the server's list of allowed sites: no operator wording here. */
    origin_not_allowed: 'Chat is not available on this site.',
  } as Partial<Record<ChatErrorCode, string>>,
};

/** The full set of UI strings. */
export type Strings = typeof defaultStrings;

/** What a host may pass: any subset, including a subset of `errors`. */
export type StringOverrides = Partial<Omit<Strings, 'errors'>> & { errors?: Strings['errors'] };

/**
 * The English defaults, then a language's built-in strings (`locale`), then the host's
 * `overrides`, `errors` merged key by key: a host's text always wins, and a key that a language
 * lacks stays English.
 */
export function mergeStrings(
  overrides: StringOverrides | undefined,
  locale?: StringOverrides,
): Strings {
  if (!overrides && !locale) return defaultStrings;
  return {
    ...defaultStrings,
    ...locale,
    ...overrides,
    errors: { ...defaultStrings.errors, ...locale?.errors, ...overrides?.errors },
  };
}

/** Fills `{key}` placeholders; unknown ones stay as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
}

/**
 * `one` or `other` by the plural rules of `locale` for `count`, `{count}` filled: French says
 * "one" for 0 too, Japanese never does.
 */
export function plural(count: number, one: string, other: string, locale?: string): string {
  let rule = count === 1 ? 'one' : 'other';
  try {
    rule = new Intl.PluralRules(locale).select(count);
  } catch {
    // a malformed `locale` from the host: English rules
  }
  return fill(rule === 'one' ? one : other, { count });
}
