import type { ChatError } from '@ephemeral-chat/sdk';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Announcer } from './components/announcer.js';
import type { GroupCreateDetail } from './components/group-form.js';
import { Watch } from './controllers/watch.js';
import { define } from './define.js';
import { rootStyles } from './ephemeral-chat.styles.js';
import { asChatError, errorText } from './errors.js';
import { fire } from './events.js';
import { closeButton, launcher } from './launcher-mode.js';
import { LanguageController } from './locales/language-controller.js';
import { forgetAll, loadOpenChat, type OpenChat, saveOpenChat } from './session/drafts.js';
import { Session, type SessionHooks } from './session/session.js';
import { fill, mergeStrings, type StringOverrides, type Strings } from './strings.js';
import { base } from './theme/base.js';
import { isTheme, storedTheme, storeTheme, type Theme } from './theme/theme.js';
import { tokens } from './theme/tokens.js';
import { isGroup } from './views/chat-header.js';
import { chatListParts } from './views/chat-list-view.js';
import { type ChatView, chatParts } from './views/chat-view.js';
import { loginParts } from './views/login-view.js';
import { searchParts } from './views/search-view.js';
import './components/announcer.js';
import './components/status-bar.js';
import './components/theme-toggle.js';
import './components/delete-account.js';
import './components/launcher.js';

/**
 * `<ephemeral-chat server="https://chat.example.com">`: sign-in, user search, chat list, and 1:1
 * and group chats whose messages disappear, in one element. The session is an HttpOnly cookie of the chat server:
 * no script on the page ever sees a token.
 *
 * @fires ec-login - Signed in (`detail.user`, `detail.via`: login, register or session).
 * @fires ec-logout - Signed out (`detail.reason`: logout, session-ended or account-deleted).
 * @fires ec-message - A message arrived or was stored (`detail.message`, `detail.own`).
 * @fires ec-error - A failure the widget showed (`detail.code`, `detail.error`).
 * @fires ec-unread - The total of unread messages changed (`detail.total`).
 *
 * @csspart root - The frame. Also header, title, theme-toggle, notifications-button,
 *   logout-button, status, status-error, sidebar, main; with `mode="launcher"`, launcher-button,
 *   launcher-badge, launcher-panel, close-button.
 * @csspart login-form - Sign-in form. Also heading, notice, label, input, field-error,
 *   form-error, submit-button, mode-toggle.
 * @csspart search-input - Search box. Also search-label, search-error, search-results, user,
 *   new-group-button, group-form, group-name-input, picked, unpick-button, create-group-button,
 *   cancel-group-button, group-error.
 * @csspart chat-list - Chat list. Also chat-item, group-item, group-icon, member-count,
 *   unread-badge, presence-dot, empty.
 * @csspart message-list - A chat's log. Also chat-header, back-button, peer-name, peer-status,
 *   members-button, earlier-button, jump-button, typing, send-error, group-notice.
 * @csspart group-panel - A group's members and admin actions. Also member-list, member,
 *   admin-badge, promote-button, remove-button, rename-form, rename-input, rename-button,
 *   add-input, add-result, leave-button, group-panel-error.
 * @csspart bubble - A message. Also bubble-own, bubble-other, bubble-sender, bubble-text,
 *   bubble-meta, countdown.
 * @csspart chat-menu-button - A 1:1 chat's menu (block, report). Also chat-menu, block-button,
 *   report-button, safety-status, report-dialog, report-reason, report-comment, report-block,
 *   report-summary, report-submit, report-cancel, report-error.
 * @csspart delete-account-button - Account deletion. Also delete-dialog, delete-password,
 *   delete-confirm, delete-cancel, delete-error.
 * @csspart composer - The message form. Also composer-input, expiry-picker, send-button.
 *
 * @cssprop --ec-font-family - Font of the widget.
 * @cssprop --ec-font-size - Base font size (0.9375rem).
 * @cssprop --ec-radius - Corner radius of the frame and bubbles.
 * @cssprop --ec-bg - Background.
 * @cssprop --ec-surface - Raised surfaces: buttons, peer bubbles, status line.
 * @cssprop --ec-text - Text colour.
 * @cssprop --ec-muted - Secondary text.
 * @cssprop --ec-border - Borders and separators.
 * @cssprop --ec-accent - Primary buttons, own bubbles, badges.
 * @cssprop --ec-accent-text - Text on the accent colour.
 * @cssprop --ec-own-bubble - Own bubbles (default: the accent); text: --ec-own-bubble-text.
 * @cssprop --ec-other-bubble - Peer bubbles (default: surface); text: --ec-other-bubble-text.
 * @cssprop --ec-danger - Errors.
 * @cssprop --ec-online - Online dot.
 * @cssprop --ec-offline - Offline ring.
 * @cssprop --ec-focus-ring - Focus outline.
 * @cssprop --ec-vanish-duration - Length of the expiry animation (320ms).
 */
export class EphemeralChat extends LitElement {
  static override properties = {
    server: { type: String },
    theme: { type: String },
    locale: { type: String },
    strings: { attribute: false },
    titleBadge: { type: Boolean, attribute: 'title-badge' },
    notifications: { type: Boolean },
    mode: { type: String, reflect: true },
    side: { type: String },
    hostToken: { attribute: false },
    _permission: { state: true },
    _session: { state: true },
    _chat: { state: true },
    _picked: { state: true },
    _error: { state: true },
  };

  static override styles = [tokens, base, rootStyles];

  /** Base URL of the chat server (`https://chat.example.com`). */
  server = '';
  /** `auto` (follows the system), `light` or `dark`; a choice made with the toggle wins. */
  theme: Theme = 'auto';
  /**
   * BCP 47 tag for dates, times, durations and plurals; defaults to the tag the language was
   * chosen by (the element's `lang`, else `<html lang>`, else the browser's languages).
   */
  locale = '';
  /** UI strings laid over the defaults (`defaultStrings`). */
  strings: StringOverrides = {};
  /** Opt-in: the page title shows the unread total, `(2) Title`. */
  titleBadge = false;
  /**
   * Opt-in: a desktop notification (who wrote, never the text) for a message that arrives while
   * the page is hidden or unfocused. Permission is asked only when the user clicks the button.
   */
  notifications = false;
  /** `inline` (default: the element is the chat) or `launcher` (a floating button opens it). */
  mode: 'inline' | 'launcher' = 'inline';
  /** In launcher mode, the corner: `right` (default) or `left`. */
  side: 'right' | 'left' = 'right';
  /**
   * Sign-in with the host site's identity: an async function returning a fresh host token (a
   * JWT the site's backend signs for its signed-in user). Set, a signed-in visitor of the site
   * never sees a login form; it is called again before the session ends.
   */
  hostToken: (() => Promise<string>) | undefined = undefined;
  _permission: NotificationPermission | undefined = globalThis.Notification?.permission;
  _session: Session | undefined;
  _chat: ChatView['chat'];
  _picked: Theme | undefined = storedTheme();
  _error: string | undefined;
  #merged: [StringOverrides, StringOverrides | undefined, Strings] | undefined;
  readonly #lang = new LanguageController(this);
  /** The server the current session was made for (also when `createClient` refused it). */
  #tried: string | undefined;
  /** The unread total last reported. */
  #total = 0;
  /** The page's own title while the badge is on it. */
  #title: string | undefined;
  #offUnread: (() => void) | undefined;

  constructor() {
    super();
    new Watch(this, () => [this._session?.auth]);
  }

  /** Signs the user out (ends the session on the server). */
  async logout(): Promise<void> {
    await this._session?.auth.logout();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dispose();
    this._chat = undefined;
    this.#tried = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('titleBadge')) this.#badge();
    if (!this.isConnected || !this.server) return;
    if (changed.has('server') || (!this._session && this.#tried !== this.server)) this.#start();
    // Set after the start (a script on the page sets it once the element is defined).
    else if (changed.has('hostToken') && this.hostToken)
      void this._session?.auth.hostTokenChanged();
  }

  /** Each render waits for the chosen language's strings (at once for English, or once loaded). */
  protected override async scheduleUpdate(): Promise<void> {
    await this.#lang.resolve();
    super.scheduleUpdate();
  }

  get #strings(): Strings {
    const built = this.#lang.strings;
    if (this.#merged?.[0] !== this.strings || this.#merged[1] !== built)
      this.#merged = [this.strings, built, mergeStrings(this.strings, built)];
    return this.#merged[2];
  }

  get #locale(): string {
    return this.locale || this.#lang.tag;
  }

  override render() {
    const s = this.#strings;
    const theme = this._picked ?? (isTheme(this.theme) ? this.theme : 'auto');
    const auth = this._session?.auth;
    const user = auth?.phase === 'signed-in' ? auth.user : undefined;
    const frame = html`<div class="root ${theme}" part="root" lang=${this.#locale} dir=${this.#lang.dir(this.#locale)}>
      <header part="header">
        <h2 part="title">${s.title}</h2>
        ${user ? html`<span class="me muted">${fill(s.signedInAs, { name: user.username })}</span>` : nothing}
        <ec-theme-toggle
          exportparts="theme-toggle"
          .theme=${theme}
          .strings=${s}
          @theme-change=${this.#pickTheme}
        ></ec-theme-toggle>
        ${
          user && this.notifications && this._permission === 'default'
            ? html`<button part="notifications-button" type="button" @click=${this.#askPermission}>
              ${s.enableNotifications}
            </button>`
            : nothing
        }
        ${
          user
            ? html`<ec-delete-account
              exportparts="delete-account-button, delete-dialog, delete-password, delete-confirm, delete-cancel, delete-error"
              .auth=${auth}
              .strings=${s}
            ></ec-delete-account>`
            : nothing
        }
        ${
          user
            ? html`<button part="logout-button" type="button" @click=${() => this.logout()}>
              ${s.signOut}
            </button>`
            : nothing
        }
        ${this.mode === 'launcher' ? closeButton(s) : nothing}
      </header>
      <ec-status-bar
        exportparts="status, status-error"
        .auth=${auth}
        .strings=${s}
        .error=${this._error}
        @status-retry=${() => auth?.start()}
        @status-dismiss=${() => {
          this._error = undefined;
        }}
      ></ec-status-bar>
      <div
        class="body"
        @chat-open=${this.#open}
        @chat-close=${this.#close}
        @group-create=${this.#createGroup}
        @view-error=${(e: CustomEvent<ChatError>) => fire(this, 'ec-error', { code: e.detail.code, error: e.detail })}
      >
        ${this.#body(s)}
      </div>
      <ec-announcer .strings=${s}></ec-announcer>
    </div>`;
    return this.mode === 'launcher' ? launcher(this, frame, theme, this.#total, s) : frame;
  }

  #body(s: Strings) {
    const session = this._session;
    if (!this.server) return html`<p class="placeholder error">${s.noServer}</p>`;
    if (session?.auth.phase === 'signed-out') {
      return html`<ec-login-view exportparts=${loginParts} .auth=${session.auth} .strings=${s}></ec-login-view>`;
    }
    if (session?.auth.phase !== 'signed-in') return nothing;
    const userId = session.auth.user?.id;
    return html`<div class="panes ${this._chat ? 'has-chat' : ''}">
      <section class="side" part="sidebar">
        <ec-search-view
          exportparts=${searchParts}
          .searchUsers=${session.searchUsers}
          .presence=${session.presence}
          .strings=${s}
        ></ec-search-view>
        <ec-chat-list-view
          exportparts=${chatListParts}
          .chats=${session.chats}
          .unread=${session.unread}
          .presence=${session.presence}
          .userId=${userId}
          .strings=${s}
          .locale=${this.#locale}
        ></ec-chat-list-view>
      </section>
      <section class="main" part="main">
        ${
          this._chat
            ? html`<ec-chat-view
              exportparts=${chatParts}
              .chat=${this._chat}
              .userId=${userId}
              .presence=${session.presence}
              .typing=${session.typing}
              .unread=${session.unread}
              .nameOf=${session.nameOf}
              .searchUsers=${session.searchUsers}
              .safety=${session.safety}
              .strings=${s}
              .locale=${this.#locale}
            ></ec-chat-view>`
            : html`<p class="placeholder muted">${s.pickChat}</p>`
        }
      </section>
    </div>`;
  }

  #start(): void {
    this.#tried = this.server;
    this.#dispose();
    this._chat = undefined;
    this._error = undefined;
    try {
      const session = new Session(this.server, this.#hooks, () => this.hostToken);
      this._session = session;
      this.#offUnread = session.unread.subscribe(() => this.#counted(session.unread.total));
      void session.auth.start();
    } catch (err) {
      this._session = undefined;
      this._error = errorText(err, this.#strings);
    }
  }

  readonly #hooks: SessionHooks = {
    login: (detail) => {
      fire(this, 'ec-login', detail);
      if (detail.via !== 'session') void this.#focus('ec-search-view');
      // A reload (by the cookie or the host's token): back in the chat open in this tab. Sign-out
      // forgets it, so a sign-in through the form finds none.
      const last = loadOpenChat(detail.user.id);
      if (last) void this.#reopen(last);
    },
    logout: (detail) => {
      const hadFocus = this.matches(':focus-within');
      this._chat = undefined;
      forgetAll();
      fire(this, 'ec-logout', detail);
      if (hadFocus) void this.#focus('ec-login-view');
    },
    message: (message, own, sender) => {
      fire(this, 'ec-message', { message, own });
      if (own) return;
      this.renderRoot.querySelector<Announcer>('ec-announcer')?.announceMessage(sender);
      this.#notify(message.room, sender);
    },
    error: (error) => this.#fail(error),
    left: (room) => {
      // Removed from the group on screen (or left it): back to the list.
      if (this._chat?.room === room) void this.#close();
    },
  };

  async #open(e: CustomEvent<{ username: string } | { room: string }>): Promise<void> {
    const d = e.detail;
    const session = this._session;
    try {
      const chat = await ('room' in d ? session?.openGroup(d.room) : session?.open(d.username));
      if (!chat) return;
      this.#show(chat);
    } catch (err) {
      this.#fail(asChatError(err));
    }
  }

  #createGroup(e: CustomEvent<GroupCreateDetail>): void {
    const { name, usernames } = e.detail;
    const creating = this._session?.createGroup(name, usernames);
    e.detail.done = creating?.then((chat) => this.#show(chat));
  }

  async #show(chat: NonNullable<ChatView['chat']>): Promise<void> {
    try {
      this._chat = chat;
      this.#remember(chat);
      await this.updateComplete;
      await this.renderRoot.querySelector('ec-chat-view')?.focusComposer();
    } catch (err) {
      this.#fail(asChatError(err));
    }
  }

  async #close(): Promise<void> {
    const room = this._chat?.room;
    this._chat = undefined;
    this.#remember(undefined);
    this._session?.unread.setActiveRoom(undefined);
    // Back to the row the user came from, when the list has it; else to the search.
    await this.updateComplete;
    const list = this.renderRoot.querySelector('ec-chat-list-view');
    await list?.updateComplete;
    if (!room || !list?.focusRoom(room)) await this.#focus('ec-search-view');
  }

  /** Which chat is open, for a reload of this tab (sessionStorage). */
  #remember(chat: ChatView['chat']): void {
    const user = this._session?.auth.user?.id;
    if (!user) return;
    const open = chat && (isGroup(chat) ? { room: chat.room } : { username: chat.peer.username });
    saveOpenChat(user, open);
  }

  /** Reopens the chat of before the reload, without taking focus from the page. */
  async #reopen(last: OpenChat): Promise<void> {
    const session = this._session;
    const auth = session?.auth;
    // Opening needs the socket, which connects after sign-in.
    await new Promise<void>((resolve) => {
      const off = auth?.subscribe(() => {
        if (auth.connection !== 'open' && auth.phase === 'signed-in') return;
        off?.();
        resolve();
      });
      if (!off) resolve();
    });
    if (auth?.phase !== 'signed-in' || session !== this._session) return;
    try {
      const chat = await ('room' in last
        ? session?.openGroup(last.room)
        : session?.open(last.username));
      if (chat && !this._chat && session === this._session) this._chat = chat;
    } catch {
      this.#remember(undefined); // gone since (left the group, account deleted): the list then
    }
  }

  #dispose(): void {
    this.#offUnread?.();
    this._session?.dispose();
    this._session = undefined;
    this.#counted(0);
  }

  /** The unread total now: reported when it changed, and on the title if asked. */
  #counted(total: number): void {
    if (total === this.#total) return;
    this.#total = total;
    this.requestUpdate(); // the launcher's badge
    fire(this, 'ec-unread', { total });
    this.#badge();
  }

  #badge(): void {
    const total = this.titleBadge && this.isConnected ? this.#total : 0;
    if (!total) {
      if (this.#title !== undefined) document.title = this.#title;
      this.#title = undefined;
      return;
    }
    this.#title ??= document.title;
    document.title = fill(this.#strings.titleBadge, { count: total, title: this.#title });
  }

  async #askPermission(): Promise<void> {
    this._permission = await globalThis.Notification?.requestPermission();
  }

  /** Who wrote, never what: the text stays in the widget. Only while the page is out of sight. */
  #notify(room: string, sender: string | undefined): void {
    const N = globalThis.Notification;
    if (!this.notifications || N?.permission !== 'granted') return;
    if (document.visibilityState === 'visible' && document.hasFocus()) return;
    const s = this.#strings;
    try {
      const n = new N(s.notificationTitle, {
        body: fill(s.notificationBody, { name: sender ?? s.someone }),
        tag: room,
      });
      n.onclick = () => {
        globalThis.focus();
        n.close();
      };
    } catch {
      // Some browsers allow notifications only from a service worker: none then.
    }
  }

  #pickTheme(e: CustomEvent<Theme>): void {
    this._picked = e.detail;
    storeTheme(e.detail);
  }

  #fail(error: ChatError): void {
    // Unreachable has its own status line with a retry: no second line for it.
    if (this._session?.auth.phase !== 'unreachable') this._error = errorText(error, this.#strings);
    fire(this, 'ec-error', { code: error.code, error });
  }

  async #focus(view: 'ec-search-view' | 'ec-login-view'): Promise<void> {
    await this.updateComplete;
    const el = this.renderRoot.querySelector(view);
    await el?.updateComplete;
    el?.focusInput();
  }
}

define('ephemeral-chat', EphemeralChat);

declare global {
  interface HTMLElementTagNameMap {
    'ephemeral-chat': EphemeralChat;
  }
}
