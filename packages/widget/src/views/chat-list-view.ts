import type { ChatSummary, GroupChatSummary } from '@ephemeral-chat/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { Watch } from '../controllers/watch.js';
import { define } from '../define.js';
import { formatClockTime } from '../format/clock-time.js';
import type { ChatList, ListEntry } from '../session/chat-list.js';
import type { Presence } from '../session/presence.js';
import type { Unread } from '../session/unread.js';
import { defaultStrings, fill, plural } from '../strings.js';
import { base } from '../theme/base.js';
import '../components/presence-dot.js';

export const chatListParts =
  'heading, chat-list, chat-item, group-item, presence-dot, group-icon, member-count, unread-badge, unseen-count, empty';

/**
 * The chats that still hold unexpired messages, and the user's groups, newest first: peer and
 * presence (or group name and member count), a preview of the newest message, its time, the
 * unread count, and how many messages expired unread.
 *
 * @fires chat-open - `detail.username` (a 1:1 chat) or `detail.room` (a group): the user picked one.
 * @csspart chat-list - The list. Also: heading, chat-item (each chat's button; a group's is also
 *   group-item), presence-dot, group-icon, member-count, unread-badge, unseen-count (messages
 *   that expired unread), empty.
 */
export class ChatListView extends LitElement {
  static override properties = {
    chats: { attribute: false },
    unread: { attribute: false },
    presence: { attribute: false },
    userId: { attribute: false },
    strings: { attribute: false },
    locale: { type: String },
  };

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: 0 0.75em 0.75em;
      }
      h3 {
        font-size: 0.8em;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        margin: 0.5em 0;
      }
      .item {
        display: grid;
        /* minmax(0, …): a 32-character name shrinks with an ellipsis, never widens the row. */
        grid-template-columns: auto minmax(0, 1fr) auto;
        align-items: center;
        column-gap: 0.55em;
        inline-size: 100%;
        text-align: start;
        border-color: transparent;
        background: none;
        padding-block: 0.5em;
      }
      .item:hover,
      .item[aria-current='true'] {
        background: var(--ec-surface);
      }
      .name {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .members {
        display: block;
        font-weight: 400;
        font-size: 0.85em;
      }
      .group-icon {
        inline-size: 0.7em;
        text-align: center;
        color: var(--ec-muted);
        font-weight: 700;
      }
      .preview {
        grid-column: 2 / 4;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: 0.9em;
      }
      .unseen {
        font-style: italic;
        font-size: 0.85em;
        color: var(--ec-muted);
      }
      .side {
        display: flex;
        align-items: center;
        gap: 0.4em;
        font-size: 0.8em;
      }
      .badge {
        min-inline-size: 1.5em;
        padding: 0 0.45em;
        border-radius: 1em;
        background: var(--ec-accent);
        color: var(--ec-accent-text);
        font-weight: 700;
        text-align: center;
      }
    `,
  ];

  chats: ChatList | undefined;
  unread: Unread | undefined;
  presence: Presence | undefined;
  /** The signed-in user's id: a preview of their own message says so. */
  userId: string | undefined;
  strings = defaultStrings;
  locale: string | undefined;

  constructor() {
    super();
    new Watch(this, () => [this.chats, this.unread, this.presence]);
  }

  /** Focuses the row of `room`; false when the list has none (no unexpired message left). */
  focusRoom(room: string): boolean {
    const row = this.renderRoot.querySelector<HTMLButtonElement>(
      `[data-room="${CSS.escape(room)}"]`,
    );
    row?.focus();
    return !!row;
  }

  override render() {
    const s = this.strings;
    const chats = this.chats?.chats ?? [];
    return html`<h3 part="heading" id="chats">${s.chats}</h3>
      ${
        chats.length
          ? html`<ul part="chat-list" aria-labelledby="chats">
            ${repeat(
              chats,
              (c) => c.room,
              (c) => this.#item(c),
            )}
          </ul>`
          : html`<p class="muted" part="empty">${s.noChats}</p>`
      }`;
  }

  #item(c: ListEntry) {
    return 'group' in c ? this.#row(c, this.#groupHead(c)) : this.#row(c, this.#peerHead(c));
  }

  #peerHead(c: ChatSummary) {
    const s = this.strings;
    const online = this.presence?.isOnline(c.peer.id) ?? c.peer.online;
    return html`<ec-presence-dot part="presence-dot" ?online=${online}></ec-presence-dot>
      <span class="name">${c.peer.username}</span>
      <span class="sr-only">, ${online ? s.online : s.offline}</span>`;
  }

  #groupHead(c: GroupChatSummary) {
    const s = this.strings;
    const count = fill(s.members, { count: c.group.memberCount });
    return html`<span class="group-icon" part="group-icon" aria-hidden="true">#</span>
      <span class="name"
        >${c.group.name}<span class="sr-only">,</span>
        <span class="members muted" part="member-count">${count}</span></span
      >
      <span class="sr-only">, ${s.group}</span>`;
  }

  #row(c: ListEntry, head: unknown) {
    const s = this.strings;
    const group = 'group' in c;
    const unread = this.unread?.count(c.room) ?? 0;
    const unseen = this.unread?.unseen(c.room) ?? 0;
    const last = c.last;
    const own = last?.from === this.userId;
    // In a group, whose message it is matters: "bob: …".
    const by = own ? s.you : group && last ? this.chats?.nameOf(last.from) : undefined;
    return html`<li>
      <button
        part=${group ? 'chat-item group-item' : 'chat-item'}
        class="item"
        type="button"
        data-room=${c.room}
        aria-current=${c.room === this.unread?.activeRoom ? 'true' : 'false'}
        @click=${() => this.#open('group' in c ? { room: c.room } : { username: c.peer.username })}
      >
        ${head}
        <span class="side muted">
          ${
            last
              ? html`<time datetime=${new Date(last.createdAt).toISOString()}
                >${formatClockTime(last.createdAt, this.locale)}</time
              >`
              : nothing
          }
          ${
            unread
              ? html`<span class="badge" part="unread-badge" aria-hidden="true">${unread}</span
                ><span class="sr-only">, ${fill(s.unread, { count: unread })}</span>`
              : nothing
          }
        </span>
        ${
          last
            ? html`<span class="preview muted">${by ? `${by}: ` : ''}${last.text}</span>`
            : nothing
        }
        ${
          unseen
            ? html`<span class="preview unseen" part="unseen-count"
              >${plural(unseen, s.unseenOne, s.unseenMany, this.locale)}</span
            >`
            : nothing
        }
      </button>
    </li>`;
  }

  #open(detail: { username: string } | { room: string }): void {
    this.dispatchEvent(new CustomEvent('chat-open', { detail, bubbles: true }));
  }
}

define('ec-chat-list-view', ChatListView);

declare global {
  interface HTMLElementTagNameMap {
    'ec-chat-list-view': ChatListView;
  }
}
