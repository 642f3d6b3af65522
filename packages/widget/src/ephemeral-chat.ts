import type { ChatError } from '@ephemeral-chat/sdk';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Announcer } from './components/announcer.js';
import type { GroupCreateDetail } from './components/group-form.js';
import { Watch } from './controllers/watch.js';
import { define } from './define.js';
import { rootStyles } from './ephemeral-chat.styles.js';
import { asChatError, errorText } from './errors.js';
import { fire } from './events.js';
import { Session, type SessionHooks } from './session/session.js';
import { fill, mergeStrings, type StringOverrides, type Strings } from './strings.js';
import { base } from './theme/base.js';
import { isTheme, storedTheme, storeTheme, type Theme } from './theme/theme.js';
import { tokens } from './theme/tokens.js';
import { chatListParts } from './views/chat-list-view.js';
import { type ChatView, chatParts } from './views/chat-view.js';
import { loginParts } from './views/login-view.js';
import { searchParts } from './views/search-view.js';
import './components/announcer.js';
import './components/status-bar.js';
import './components/theme-toggle.js';
import './components/delete-account.js';

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
 *   logout-button, status, status-error, sidebar, main.
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
  /** BCP 47 tag for times and durations; defaults to the page's language. */
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
  _permission: NotificationPermission | undefined = globalThis.Notification?.permission;
  _session: Session | undefined;
  _chat: ChatView['chat'];
  _picked: Theme | undefined = storedTheme();
  _error: string | undefined;
  #merged: [StringOverrides, Strings] | undefined;
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
  }

  get #strings(): Strings {
    if (this.#merged?.[0] !== this.strings)
      this.#merged = [this.strings, mergeStrings(this.strings)];
    return this.#merged[1];
  }

  get #locale(): string | undefined {
    return this.locale || document.documentElement.lang || undefined;
  }

  override render() {
    const s = this.#strings;
    const theme = this._picked ?? (isTheme(this.theme) ? this.theme : 'auto');
    const auth = this._session?.auth;
    const user = auth?.phase === 'signed-in' ? auth.user : undefined;
    return html`<div class="root ${theme}" part="root" lang=${ifDefined(this.locale || undefined)}>
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
      const session = new Session(this.server, this.#hooks);
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
    },
    logout: (detail) => {
      const hadFocus = this.matches(':focus-within');
      this._chat = undefined;
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
      await this.updateComplete;
      await this.renderRoot.querySelector('ec-chat-view')?.focusComposer();
    } catch (err) {
      this.#fail(asChatError(err));
    }
  }

  async #close(): Promise<void> {
    this._chat = undefined;
    this._session?.unread.setActiveRoom(undefined);
    await this.#focus('ec-search-view');
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
