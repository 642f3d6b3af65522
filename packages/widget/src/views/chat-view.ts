import type { Chat } from '@ephemeral-chat/sdk';
import { expiry, ttlChoices } from '@ephemeral-chat/sdk/constants';
import { html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { type BubbleMessage, bubbleParts } from '../components/message-bubble.js';
import { StickyScroll } from '../components/sticky-scroll.js';
import { ChatFeed } from '../controllers/chat-feed.js';
import { Watch } from '../controllers/watch.js';
import { define } from '../define.js';
import { asChatError, errorText } from '../errors.js';
import type { PeerTyping } from '../session/peer-typing.js';
import type { Presence } from '../session/presence.js';
import { TypingNotifier } from '../session/typing-notifier.js';
import type { Unread } from '../session/unread.js';
import { StoredMap } from '../storage.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';
import { chatViewStyles } from './chat-view.styles.js';
import '../components/composer.js';
import '../components/message-bubble.js';
import '../components/presence-dot.js';

export const chatParts = `chat-header, back-button, peer-name, peer-status, presence-dot, message-list, earlier-button, empty, jump-button, typing, send-error, composer, composer-input, send-button, expiry-picker, ${bubbleParts}`;

const ttls = new StoredMap<number>('ttl', 200);
const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/**
 * One chat: the peer and their presence, the messages with their countdowns (vanishing at expiry),
 * the typing indicator and the composer with its per-chat expiry choice. Escape goes back.
 *
 * @fires chat-close - The user went back to the list.
 * @fires view-error - A send or load failed (also shown in the view).
 * @csspart message-list - The scrolling log. Also: chat-header, back-button, peer-name,
 *   peer-status, presence-dot, earlier-button, empty, jump-button, typing, send-error, the
 *   composer's and the bubbles' parts.
 */
export class ChatView extends LitElement {
  static override properties = {
    chat: { attribute: false },
    userId: { attribute: false },
    presence: { attribute: false },
    typing: { attribute: false },
    unread: { attribute: false },
    strings: { attribute: false },
    locale: { type: String },
    _ttl: { state: true },
    _error: { state: true },
    _jump: { state: true },
  };

  static override styles = [base, chatViewStyles];

  chat: Chat | undefined;
  /** The signed-in user's id: their messages are their own. */
  userId: string | undefined;
  presence: Presence | undefined;
  /** Whose peers are typing. */
  typing: PeerTyping | undefined;
  /** Where the chat's messages count as read while on screen. */
  unread: Unread | undefined;
  strings = defaultStrings;
  locale: string | undefined;
  _ttl: number = expiry.defaultTtlMs;
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
      this.#markRead();
    },
    vanishMs: () => {
      const raw = getComputedStyle(this).getPropertyValue('--ec-vanish-duration').trim();
      const ms = Number.parseFloat(raw) * (raw.endsWith('ms') ? 1 : 1000);
      return reducedMotion() || !ms ? 0 : ms;
    },
  });
  #typing: TypingNotifier | undefined;

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
    const name = chat.peer.username;
    const online = this.presence?.isOnline(chat.peer.id) ?? chat.peer.online;
    const me = this.userId;
    const list = this.#list;
    const messages = list.messages;
    const empty = !messages.length && !list.pending.length;
    return html`<header part="chat-header">
        <button class="back" part="back-button" type="button" aria-label=${s.back} @click=${this.#close}>
          <span aria-hidden="true">←</span>
        </button>
        <div class="peer">
          <h3 part="peer-name">${name}</h3>
          <span class="status muted" part="peer-status">
            <ec-presence-dot part="presence-dot" ?online=${online}></ec-presence-dot>
            ${online ? s.online : s.offline}
          </span>
        </div>
      </header>
      <div
        class="log"
        part="message-list"
        role="log"
        aria-live="off"
        aria-label=${fill(s.messagesWith, { name })}
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
        ${empty ? html`<p class="empty muted" part="empty">${s.noMessages}</p>` : nothing}
        <ol>
          ${repeat(
            messages,
            (m) => m.seq,
            (m) => this.#bubble(m, m.from === me, list.leaving(m.seq)),
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
        ${this.typing?.has(chat.room) ? fill(s.typing, { name }) : ''}
      </p>
      ${this._error ? html`<p class="error" part="send-error" role="alert">${this._error}</p>` : nothing}
      <ec-composer
        exportparts="composer, composer-input, send-button, expiry-picker"
        .ttl=${this._ttl}
        .peer=${name}
        .strings=${s}
        .locale=${this.locale}
        @compose-send=${this.#send}
        @compose-typing=${() => this.#typing?.input()}
        @ttl-change=${this.#setTtl}
        @keydown=${this.#keydown}
      ></ec-composer>`;
  }

  #bubble(m: BubbleMessage, own: boolean, leaving: boolean) {
    return html`<li>
      <ec-message-bubble
        exportparts=${bubbleParts}
        .message=${m}
        ?own=${own}
        ?leaving=${leaving}
        .sender=${this.chat?.peer.username ?? ''}
        .strings=${this.strings}
        .locale=${this.locale}
      ></ec-message-bubble>
    </li>`;
  }

  #follow(chat: Chat | undefined): void {
    this.#typing?.stop();
    if (!chat) {
      this.#list.unfollow();
      return;
    }
    const stored = ttls.get(chat.room);
    this._ttl = ttlChoices.some((c) => c.ttl === stored) ? (stored as number) : expiry.defaultTtlMs;
    this._error = undefined;
    this._jump = false;
    this.#typing = new TypingNotifier((t) => chat.typing(t));
    this.#list.follow(chat);
    this.#scroll.toBottom();
    this.unread?.setActiveRoom(chat.room);
    this.#markRead();
  }

  #markRead(): void {
    const last = this.#list.messages.at(-1);
    if (last && this.chat) this.unread?.markRead(this.chat.room, last.seq);
  }

  async #send(e: CustomEvent<{ text: string }>): Promise<void> {
    this._error = undefined;
    this.#typing?.stop();
    this.#scroll.toBottom();
    try {
      await this.#list.send(e.detail.text, this._ttl);
    } catch (err) {
      this.renderRoot.querySelector('ec-composer')?.restore(e.detail.text);
      this.#fail(err);
    }
  }

  async #earlier(): Promise<void> {
    await this.#list.earlier().catch((err: unknown) => this.#fail(err));
  }

  #setTtl(e: CustomEvent<number>): void {
    this._ttl = e.detail;
    if (this.chat) ttls.set(this.chat.room, e.detail);
  }

  #jumpDown(): void {
    this.#scroll.toBottom();
    void this.focusComposer();
  }

  #keydown(e: KeyboardEvent): void {
    if (e.key === 'Escape') this.#close();
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('chat-close', { bubbles: true }));
  }

  #fail(err: unknown): void {
    this._error = errorText(err, this.strings);
    this.dispatchEvent(new CustomEvent('view-error', { detail: asChatError(err), bubbles: true }));
  }
}

define('ec-chat-view', ChatView);

declare global {
  interface HTMLElementTagNameMap {
    'ec-chat-view': ChatView;
  }
}
