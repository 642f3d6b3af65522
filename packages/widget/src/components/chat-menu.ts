import { css, html, LitElement, nothing } from 'lit';
import { define } from '../define.js';
import { asChatError, errorText } from '../errors.js';
import type { SafetyClient } from '../session/safety.js';
import { defaultStrings, fill, type Strings } from '../strings.js';
import { base } from '../theme/base.js';
import type { ReportDialog, ReportDoneDetail } from './report-dialog.js';
import './report-dialog.js';

export const chatMenuParts =
  'chat-menu-button, chat-menu, block-button, report-button, safety-status, report-dialog, report-reason, report-comment, report-block, report-summary, report-submit, report-cancel, report-error';

/**
 * The menu of a 1:1 chat: block or unblock the peer, and report them (a reason picker in a
 * dialog). A disclosure button (`aria-expanded`) shows the actions; what happened is said in a
 * polite status line. Whether the peer is blocked is asked of the server each time it opens.
 *
 * @fires view-error - An action failed (also shown in the status line).
 * @csspart chat-menu-button - The "⋯" button. Also: chat-menu, block-button, report-button,
 *   safety-status and the report dialog's parts.
 */
export class ChatMenu extends LitElement {
  static override properties = {
    safety: { attribute: false },
    room: { attribute: false },
    peer: { attribute: false },
    strings: { attribute: false },
    _open: { state: true },
    _blocked: { state: true },
    _busy: { state: true },
    _status: { state: true },
  };

  static override styles = [
    base,
    css`
      :host {
        position: relative;
      }
      .menu {
        position: absolute;
        inset-inline-end: 0;
        inset-block-start: calc(100% + 0.25em);
        z-index: 2;
        display: grid;
        gap: 0.25em;
        padding: 0.4em;
        min-inline-size: 12em;
        background: var(--ec-bg);
        border: 1px solid var(--ec-border);
        border-radius: calc(var(--ec-radius) / 1.5);
      }
      .menu button {
        text-align: start;
      }
      .status {
        position: absolute;
        inset-inline-end: 0;
        inset-block-start: calc(100% + 0.25em);
        z-index: 1;
        margin: 0;
        padding: 0.3em 0.5em;
        inline-size: max-content;
        max-inline-size: 18em;
        font-size: 0.85em;
        background: var(--ec-surface);
        border-radius: calc(var(--ec-radius) / 1.5);
      }
      .status:empty {
        display: none;
      }
    `,
  ];

  safety: SafetyClient | undefined;
  room = '';
  peer: { id: string; username: string } | undefined;
  strings: Strings = defaultStrings;
  _open = false;
  /** Whether the user blocks the peer; undefined until the server said. */
  _blocked: boolean | undefined;
  _busy = false;
  _status = '';
  #clear: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#clear);
  }

  override render() {
    const s = this.strings;
    const name = this.peer?.username ?? '';
    return html`<button
        part="chat-menu-button"
        type="button"
        aria-expanded=${this._open ? 'true' : 'false'}
        aria-controls="chat-menu"
        aria-label=${fill(s.chatMenu, { name })}
        title=${fill(s.chatMenu, { name })}
        @click=${this.#toggle}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      ${
        this._open
          ? html`<div id="chat-menu" class="menu" part="chat-menu" @keydown=${this.#keydown}>
            <button
              part="block-button"
              type="button"
              ?disabled=${this._busy || this._blocked === undefined}
              @click=${this.#block}
            >
              ${fill(this._blocked ? s.unblock : s.block, { name })}
            </button>
            <button part="report-button" type="button" @click=${this.#report}>
              ${fill(s.report, { name })}
            </button>
          </div>`
          : nothing
      }
      <p class="status" part="safety-status" role="status">${this._open ? '' : this._status}</p>
      <ec-report-dialog
        .safety=${this.safety}
        .room=${this.room}
        .peer=${this.peer}
        .strings=${s}
        exportparts="report-dialog, report-reason, report-comment, report-block, report-summary, report-submit, report-cancel, report-error"
        @report-done=${this.#reported}
      ></ec-report-dialog>`;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Another chat: nothing of the last one's menu carries over.
    if (changed.has('peer')) [this._open, this._blocked, this._status] = [false, undefined, ''];
    // A status line says what happened, then makes way (it sits over the messages).
    if (changed.has('_status') && this._status) {
      clearTimeout(this.#clear);
      this.#clear = setTimeout(() => {
        this._status = '';
      }, 8000);
    }
  }

  async #toggle(): Promise<void> {
    this._open = !this._open;
    this._status = '';
    if (!this._open || !this.safety || !this.peer) return;
    const peer = this.peer;
    try {
      const blocks = await this.safety.blocks();
      if (peer === this.peer) this._blocked = blocks.some((u) => u.id === peer.id);
    } catch (err) {
      this.#fail(err);
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[part="block-button"]')?.focus();
  }

  #keydown(e: KeyboardEvent): void {
    if (e.key !== 'Escape') return;
    // Escape closes the menu, not the chat.
    e.stopPropagation();
    this._open = false;
    this.renderRoot.querySelector<HTMLButtonElement>('[part="chat-menu-button"]')?.focus();
  }

  async #block(): Promise<void> {
    const { safety, peer } = this;
    if (!safety || !peer) return;
    const block = !this._blocked;
    this._busy = true;
    try {
      await (block ? safety.block(peer.id) : safety.unblock(peer.id));
      this._blocked = block;
      this._open = false;
      const s = this.strings;
      this._status = fill(block ? s.blockedNotice : s.unblockedNotice, { name: peer.username });
    } catch (err) {
      this.#fail(err);
    } finally {
      this._busy = false;
    }
  }

  #report(): void {
    this._open = false;
    void this.renderRoot.querySelector<ReportDialog>('ec-report-dialog')?.show();
  }

  #reported(e: CustomEvent<ReportDoneDetail>): void {
    const s = this.strings;
    const name = this.peer?.username ?? '';
    if (e.detail.blocked) this._blocked = true;
    this._status = fill(e.detail.blocked ? s.reportSentBlocked : s.reportSent, { name });
  }

  #fail(err: unknown): void {
    this._open = false;
    this._status = errorText(err, this.strings);
    const detail = asChatError(err);
    this.dispatchEvent(new CustomEvent('view-error', { detail, bubbles: true, composed: true }));
  }
}

define('ec-chat-menu', ChatMenu);

declare global {
  interface HTMLElementTagNameMap {
    'ec-chat-menu': ChatMenu;
  }
}
