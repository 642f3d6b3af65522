import type {
  Chat,
  ChatMessage,
  GroupChat,
  GroupEvent,
  SearchResult,
  SettingsEvent,
} from '@ephemeral-chat/sdk';
import { expiry } from '@ephemeral-chat/sdk/constants';
import { html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { chatMenuParts } from '../components/chat-menu.js';
import { type BubbleMessage, bubbleParts } from '../components/message-bubble.js';
import { StickyScroll } from '../components/sticky-scroll.js';
import { ChatFeed } from '../controllers/chat-feed.js';
import { ReadMarker } from '../controllers/read-marker.js';
import { Watch } from '../controllers/watch.js';
import { define } from '../define.js';
import { asChatError, errorText } from '../errors.js';
import { formatDuration } from '../format/duration.js';
import { groupNotice } from '../format/group-notice.js';
import { continues, dayBefore } from '../format/timeline.js';
import type { PeerTyping } from '../session/peer-typing.js';
import type { Presence } from '../session/presence.js';
import type { SafetyClient } from '../session/safety.js';
import { TypingNotifier } from '../session/typing-notifier.js';
import type { Unread } from '../session/unread.js';
import { defaultStrings, fill, plural } from '../strings.js';
import { base } from '../theme/base.js';
import { groupHead, isGroup, nameIn, peerHead, typingLine } from './chat-header.js';
import { chatViewStyles } from './chat-view.styles.js';
import { groupPanelParts } from './group-panel.js';
import '../components/composer.js';
import '../components/message-bubble.js';

export const chatParts = `day-separator, chat-header, back-button, peer-name, peer-status, presence-dot, members-button, message-list, earlier-button, empty, notice, settings-notice, group-notice, expired-notice, unseen-notice, jump-button, typing, send-error, composer, composer-input, send-button, expiry-picker, burn-picker, ${bubbleParts}, ${groupPanelParts}, ${chatMenuParts}`;

/** A line in the timeline that is not a message: a settings change, or a message gone unseen. */
interface Notice {
  key: string;
  /** Server time: where it goes among the messages. */
  at: number;
  text: string;
  part: string;
}
const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/**
 * One chat: the peer and their presence (or, for a group, its name, members, who is online and
 * the members panel with the admin actions), the messages with their countdowns (vanishing at
 * expiry) and receipts ("Seen by k of n" in a group), notices of settings and membership changes
 * and of messages that expired unseen, the typing indicator and the composer with the chat's
 * expiry and burn settings (shared with the peer; in a group only admins change them, the others'
 * choices apply to what they send). Messages are marked read only while in view and the page has
 * focus. Escape goes back.
 *
 * @fires chat-close - The user went back to the list.
 * @fires view-error - A send or load failed (also shown in the view).
 * @csspart message-list - The scrolling log. Also: chat-header, back-button, peer-name (the
 *   group's name in a group), peer-status, presence-dot, members-button, earlier-button, empty,
 *   notice (settings-notice, group-notice, expired-notice, unseen-notice), jump-button, typing,
 *   send-error, the composer's, the bubbles' and the group panel's parts.
 */
export class ChatView extends LitElement {
  static override properties = {
    chat: { attribute: false },
    userId: { attribute: false },
    presence: { attribute: false },
    typing: { attribute: false },
    unread: { attribute: false },
    nameOf: { attribute: false },
    searchUsers: { attribute: false },
    safety: { attribute: false },
    strings: { attribute: false },
    locale: { type: String },
    _members: { state: true },
    _ttl: { state: true },
    _burn: { state: true },
    _notices: { state: true },
    _unseen: { state: true },
    _error: { state: true },
    _jump: { state: true },
  };

  static override styles = [base, chatViewStyles];

  chat: Chat | GroupChat | undefined;
  /** The signed-in user's id: their messages are their own. */
  userId: string | undefined;
  presence: Presence | undefined;
  /** Whose peers are typing. */
  typing: PeerTyping | undefined;
  /** Which room is on screen, for the chat list. */
  unread: Unread | undefined;
  /** The username of a user met so far (a group's former members included). */
  nameOf: ((userId: string) => string | undefined) | undefined;
  /** Finds users by username prefix (a group admin adds them). */
  searchUsers: ((prefix: string) => Promise<SearchResult[]>) | undefined;
  /** Block and report (the 1:1 chat's menu). */
  safety: SafetyClient | undefined;
  strings = defaultStrings;
  /** The members panel of a group is open. */
  _members = false;
  locale: string | undefined;
  _ttl: number = expiry.defaultTtlMs;
  _burn: number | undefined;
  _notices: readonly Notice[] = [];
  /** Messages of the peer that expired unread, counted since the chat was shown. */
  _unseen = 0;
  #lastUnseen = 0;
  _error: string | undefined;
  _jump = false;
  readonly #scroll: StickyScroll = new StickyScroll(
    this,
    () => this.renderRoot.querySelector('.log'),
    (pinned) => {
      if (pinned) this._jump = false;
    },
  );
  readonly #list: ChatFeed = new ChatFeed(this, {
    arrived: (m) => {
      // Below a reader who scrolled up: offer a way down instead of moving them.
      if (m.from !== this.userId && !this.#scroll.pinned) this._jump = true;
    },
    expired: (m) => this.#expired(m),
    settings: (e) => this.#settingsChanged(e),
    group: (e) => this.#groupChanged(e),
    unseen: () => this.#countUnseen(),
    vanishMs: () => {
      const raw = getComputedStyle(this).getPropertyValue('--ec-vanish-duration').trim();
      const ms = Number.parseFloat(raw) * (raw.endsWith('ms') ? 1 : 1000);
      return reducedMotion() || !ms ? 0 : ms;
    },
  });
  readonly #reads: ReadMarker = new ReadMarker(this, () => this.renderRoot?.querySelector('.log'));
  #typing: TypingNotifier | undefined;
  /** The code of the error on screen. */
  #errorCode: string | undefined;

  constructor() {
    super();
    new Watch(this, () => [this.presence, this.typing]);
  }

  async focusComposer(): Promise<void> {
    await this.updateComplete;
    const composer = this.renderRoot.querySelector('ec-composer');
    await composer?.updateComplete;
    composer?.focusInput();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate(); // (re)follow the chat in the update, not while the parent renders
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#typing?.stop();
    if (this.unread?.activeRoom === this.chat?.room) this.unread?.setActiveRoom(undefined);
  }

  protected override willUpdate(): void {
    if (this.chat !== this.#list.chat) this.#follow(this.chat);
  }

  override render() {
    const { chat, strings: s } = this;
    if (!chat) return nothing;
    const group = isGroup(chat) ? chat : undefined;
    const name = group ? group.group.name : (chat as Chat).peer.username;
    const me = this.userId;
    const list = this.#list;
    const messages = list.messages;
    const empty = !messages.length && !list.pending.length && !this._notices.length;
    // Messages and notices by time (notices of expired messages take those messages' place).
    const timeline: { at: number; m?: ChatMessage; n?: Notice }[] = [
      ...messages.map((m) => ({ at: m.createdAt, m })),
      ...this._notices.map((n) => ({ at: n.at, n })),
    ].sort((a, b) => a.at - b.at);
    return html`<header part="chat-header">
        <button class="back" part="back-button" type="button" aria-label=${s.back} @click=${this.#close}>
          <span aria-hidden="true">←</span>
        </button>
        ${
          group
            ? groupHead(
                group,
                {
                  userId: me,
                  presence: this.presence,
                  open: this._members,
                  toggle: () => {
                    this._members = !this._members;
                  },
                },
                s,
              )
            : peerHead(chat as Chat, this.presence, s)
        }
        ${
          group
            ? nothing
            : html`<ec-chat-menu
              exportparts=${chatMenuParts}
              .safety=${this.safety}
              .room=${chat.room}
              .peer=${(chat as Chat).peer}
              .strings=${s}
            ></ec-chat-menu>`
        }
      </header>
      ${
        group && this._members
          ? html`<ec-group-panel
            id="members"
            exportparts=${groupPanelParts}
            .chat=${group}
            .userId=${me}
            .presence=${this.presence}
            .searchUsers=${this.searchUsers}
            .strings=${s}
          ></ec-group-panel>`
          : nothing
      }
      <div
        class="log"
        part="message-list"
        role="log"
        aria-live="off"
        aria-label=${fill(group ? s.messagesIn : s.messagesWith, { name })}
        tabindex="0"
        @keydown=${this.#keydown}
      >
        ${
          list.more
            ? html`<button class="link earlier" part="earlier-button" type="button" @click=${this.#earlier}>
              ${s.earlier}
            </button>`
            : nothing
        }
        ${
          this._unseen
            ? html`<p class="notice" part="notice unseen-notice">
              ${plural(this._unseen, s.unseenOne, s.unseenMany, this.locale)}
            </p>`
            : nothing
        }
        ${empty ? html`<p class="empty muted" part="empty">${s.noMessages}</p>` : nothing}
        <ol>
          ${repeat(
            timeline,
            (x) => x.m?.seq ?? x.n?.key,
            (x, i) =>
              html`${this.#day(timeline, i)}${
                x.m
                  ? this.#bubble(
                      x.m,
                      x.m.from === me,
                      list.leaving(x.m.seq),
                      continues(x.m, timeline[i + 1]?.m),
                    )
                  : html`<li class="notice" part=${x.n?.part ?? ''}>${x.n?.text}</li>`
              }`,
          )}
          ${repeat(
            list.pending,
            (p) => `p${p.id}`,
            (p) => this.#bubble(p, true, false),
          )}
        </ol>
      </div>
      ${
        this._jump
          ? html`<button class="jump" part="jump-button" type="button" @click=${this.#jumpDown}>
            ${s.jumpToLatest}
          </button>`
          : nothing
      }
      <p class="typing muted" part="typing">
        ${typingLine(
          (this.typing?.who(chat.room) ?? []).map((id) => this.#name(id)),
          s,
          this.locale,
        )}
      </p>
      ${this._error ? html`<p class="error" part="send-error" role="alert">${this._error}</p>` : nothing}
      <ec-composer
        exportparts="composer, composer-input, send-button, expiry-picker, burn-picker"
        .ttl=${this._ttl}
        .burn=${this._burn}
        .peer=${name}
        .user=${me ?? ''}
        .room=${chat.room}
        .strings=${s}
        .locale=${this.locale}
        @compose-send=${this.#send}
        @compose-typing=${this.#typed}
        @ttl-change=${this.#setTtl}
        @burn-change=${this.#setBurn}
        @keydown=${this.#keydown}
      ></ec-composer>`;
  }

  /** A user's name as shown here: "You" for the user. */
  #name(id: string): string {
    return nameIn(this.chat, id, this, this.strings);
  }

  /** A separator when the day changes (or, first, when it is not today). */
  #day(timeline: readonly { at: number }[], i: number) {
    const at = timeline[i]?.at ?? 0;
    const label = dayBefore(at, timeline[i - 1]?.at, Date.now(), this.locale);
    if (!label) return nothing;
    return html`<li class="day" part="day-separator">
      <time datetime=${new Date(at).toISOString().slice(0, 10)}>${label}</time>
    </li>`;
  }

  #bubble(
    m: BubbleMessage & { seq?: number; from?: string },
    own: boolean,
    leaving: boolean,
    continued = false,
  ) {
    const chat = this.chat;
    const group = isGroup(chat) ? chat : undefined;
    let seen: string | undefined;
    if (group && own && m.seq !== undefined && m.from) {
      const seeable = { seq: m.seq, from: m.from, createdAt: m.createdAt };
      seen = fill(this.strings.seenBy, {
        count: group.seenBy(seeable).length,
        total: group.audience(seeable).length,
      });
    }
    return html`<li data-seq=${m.seq ?? nothing}>
      <ec-message-bubble
        exportparts=${bubbleParts}
        .message=${m}
        ?own=${own}
        .state=${own && chat && !group ? (chat as Chat).stateOf(m) : undefined}
        .seen=${seen}
        ?show-sender=${!!group && !own}
        ?leaving=${leaving}
        ?continued=${continued}
        .sender=${m.from ? this.#name(m.from) : ''}
        .strings=${this.strings}
        .locale=${this.locale}
      ></ec-message-bubble>
    </li>`;
  }

  #follow(chat: Chat | GroupChat | undefined): void {
    this.#typing?.stop();
    if (!chat) {
      this.#list.unfollow();
      return;
    }
    this.#fromSettings();
    this._notices = [];
    this._members = false;
    this._unseen = this.#lastUnseen = isGroup(chat) ? 0 : chat.unseenExpired;
    this._error = undefined;
    this._jump = false;
    this.#typing = new TypingNotifier((t) => chat.typing(t));
    this.#list.follow(chat);
    this.#scroll.toBottom();
    this.unread?.setActiveRoom(chat.room);
    this.#reads.follow(chat);
  }

  /** The pickers show the chat's settings (shared by both members). */
  #fromSettings(): void {
    const { ttl, burn } = this.chat?.settings ?? {};
    this._ttl = ttl ?? expiry.defaultTtlMs;
    this._burn = burn;
  }

  #settingsChanged(e: SettingsEvent): void {
    this.#fromSettings();
    const s = this.strings;
    const name = this.#name(e.by);
    const { ttl = expiry.defaultTtlMs, burn } = e.settings;
    // The viewer's own change has its own sentence ("You set …": a "you" in place of a name
    // does not agree with the verb in most languages).
    const mine = e.by === this.userId;
    const text = burn
      ? fill(mine ? s.settingsBurnByYou : s.settingsBurn, {
          name,
          burn: formatDuration(burn, this.locale),
        })
      : fill(mine ? s.settingsTtlByYou : s.settingsTtl, {
          name,
          ttl: formatDuration(ttl, this.locale),
        });
    this.#notice({ key: `s${e.by}${e.at}`, at: e.at, text, part: 'notice settings-notice' });
  }

  /** A member, the name or the admins of the group changed: a notice in the timeline. */
  #groupChanged(e: GroupEvent): void {
    const name = (id: string) => this.#name(id);
    const text = groupNotice(e.change, name, this.strings, this.locale, this.userId);
    const key = `g${e.change.kind}${e.change.by}${e.at}`;
    this.#notice({ key, at: e.at, text, part: 'notice group-notice' });
  }

  /** One of the user's messages expired unread: a notice in its place, without its text. */
  #expired(m: ChatMessage): void {
    const chat = this.chat;
    if (m.from !== this.userId || isGroup(chat) || chat?.stateOf(m) !== 'expired-unseen') return;
    const part = 'notice expired-notice';
    this.#notice({ key: `x${m.seq}`, at: m.createdAt, text: this.strings.expiredUnseen, part });
  }

  #notice(n: Notice): void {
    if (!this._notices.some((x) => x.key === n.key)) this._notices = [...this._notices, n];
  }

  /** Counts what expired unread while shown; a read resets the chat's count, not this one. */
  #countUnseen(): void {
    const chat = this.chat;
    const now = chat && !isGroup(chat) ? chat.unseenExpired : 0;
    if (now > this.#lastUnseen) this._unseen += now - this.#lastUnseen;
    this.#lastUnseen = now;
  }

  async #send(e: CustomEvent<{ text: string }>): Promise<void> {
    this._error = undefined;
    this.#typing?.stop();
    this.#scroll.toBottom();
    try {
      await this.#list.send(e.detail.text, this._ttl, this._burn);
    } catch (err) {
      this.renderRoot.querySelector('ec-composer')?.restore(e.detail.text);
      this.#fail(err);
    }
  }

  async #earlier(): Promise<void> {
    await this.#list.earlier().catch((err: unknown) => this.#fail(err));
  }

  /** A shorter lifetime than the burn turns the burn off (it could never happen). */
  #setTtl(e: CustomEvent<number>): void {
    const ttl = e.detail;
    const off = this._burn !== undefined && this._burn > ttl;
    this._ttl = ttl;
    if (off) this._burn = undefined;
    this.#setSettings(off ? { ttl, burn: null } : { ttl });
  }

  #setBurn(e: CustomEvent<number | null>): void {
    this._burn = e.detail ?? undefined;
    this.#setSettings({ burn: e.detail });
  }

  #setSettings(settings: { ttl?: number; burn?: number | null }): void {
    const chat = this.chat;
    // In a group only admins change the timers; the others' choices apply to what they send.
    if (isGroup(chat) && !chat.admin) return;
    chat?.setSettings(settings).catch((err: unknown) => {
      this.#fromSettings();
      this.#fail(err);
    });
  }

  #typed(): void {
    this.#typing?.input();
    // The server's "too long" is about a text the user is now changing: the counter takes over.
    if (this.#errorCode === 'message_too_long') this._error = this.#errorCode = undefined;
  }

  #jumpDown(): void {
    this.#scroll.toBottom();
    void this.focusComposer();
  }

  #keydown(e: KeyboardEvent): void {
    // Marked as used, so a launcher around the widget does not also close on it.
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    this.#close();
  }

  #close(): void {
    // What the user saw on the way out counts as read (the observer may not have reported yet).
    this.#reads.flush();
    this.dispatchEvent(new CustomEvent('chat-close', { bubbles: true }));
  }

  #fail(err: unknown): void {
    this._error = errorText(err, this.strings);
    this.#errorCode = asChatError(err).code;
    this.dispatchEvent(new CustomEvent('view-error', { detail: asChatError(err), bubbles: true }));
  }
}

define('ec-chat-view', ChatView);

declare global {
  interface HTMLElementTagNameMap {
    'ec-chat-view': ChatView;
  }
}
