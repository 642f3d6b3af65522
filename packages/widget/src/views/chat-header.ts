import type { Chat, GroupChat } from '@ephemeral-chat/sdk';
import { html } from 'lit';
import { formatNames } from '../format/names.js';
import type { Presence } from '../session/presence.js';
import { fill, type Strings } from '../strings.js';
import '../components/presence-dot.js';

/** Whether a chat is a group's. */
export const isGroup = (chat: Chat | GroupChat | undefined): chat is GroupChat =>
  !!chat && 'group' in chat;

/** The header of a 1:1 chat: the peer's name and presence. */
export function peerHead(chat: Chat, presence: Presence | undefined, s: Strings) {
  const online = presence?.isOnline(chat.peer.id) ?? chat.peer.online;
  return html`<div class="peer">
    <h3 part="peer-name">${chat.peer.username}</h3>
    <span class="status muted" part="peer-status">
      <ec-presence-dot part="presence-dot" ?online=${online}></ec-presence-dot>
      ${online ? s.online : s.offline}
    </span>
  </div>`;
}

/**
 * The header of a group: its name, "3 members, 2 online" (the user counts as online), and the
 * button that shows or hides the members panel (`#members`).
 */
export function groupHead(
  chat: GroupChat,
  o: { userId: string | undefined; presence: Presence | undefined; open: boolean; toggle(): void },
  s: Strings,
) {
  const members = chat.members;
  const online = members.filter((m) => m.id === o.userId || o.presence?.isOnline(m.id)).length;
  return html`<div class="peer">
      <h3 part="peer-name">${chat.group.name}</h3>
      <span class="status muted" part="peer-status">
        ${fill(s.membersOnline, { count: members.length, online })}
      </span>
    </div>
    <button
      part="members-button"
      type="button"
      aria-expanded=${o.open ? 'true' : 'false'}
      aria-controls="members"
      @click=${o.toggle}
    >
      ${s.membersButton}
    </button>`;
}

/**
 * A user's name as a chat shows it: "You" for the user, else the peer's or a member's username,
 * else a name met elsewhere (a former member), else "someone".
 */
export function nameIn(
  chat: Chat | GroupChat | undefined,
  id: string,
  o: { userId: string | undefined; nameOf: ((id: string) => string | undefined) | undefined },
  s: Strings,
): string {
  if (id === o.userId) return s.you;
  const known = isGroup(chat)
    ? chat.members.find((m) => m.id === id)?.username
    : chat?.peer.id === id
      ? chat.peer.username
      : undefined;
  return known ?? o.nameOf?.(id) ?? s.someone;
}

/** "bob is typing…", "bob and carol are typing…"; empty when nobody is. */
export function typingLine(
  names: readonly string[],
  s: Strings,
  locale: string | undefined,
): string {
  if (!names.length) return '';
  return names.length === 1
    ? fill(s.typing, { name: names[0] ?? '' })
    : fill(s.typingMany, { names: formatNames(names, locale) });
}
