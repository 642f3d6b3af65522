import { css, html, LitElement, nothing } from 'lit';
import { define } from '../define.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';

/**
 * `mode="launcher"`: a floating button (bottom right, or left with `side="left"`) with the unread
 * count, and a panel that holds the chat (the slotted frame). Escape anywhere in the panel closes
 * it and puts focus back on the button, unless something inside used that Escape (a chat going
 * back to its list, a menu, a modal dialog). On a phone-sized viewport the panel is full screen.
 *
 * @fires launcher-toggle - `detail.open`: the panel opened or closed.
 * @slot - The chat's frame.
 * @csspart launcher-button - The floating button. Also launcher-badge, launcher-panel.
 */
export class Launcher extends LitElement {
  static override properties = {
    open: { type: Boolean, reflect: true },
    side: { type: String, reflect: true },
    unread: { type: Number },
    strings: { attribute: false },
  };

  static override styles = [
    base,
    css`
      :host {
        --ec-launcher-gap: 1.25rem;
        font-family: var(--ec-font-family);
        font-size: var(--ec-font-size);
      }
      :host(.light) {
        color-scheme: light;
      }
      :host(.dark) {
        color-scheme: dark;
      }
      :host(.auto) {
        color-scheme: light dark;
      }
      .button {
        position: fixed;
        inset-block-end: var(--ec-launcher-gap);
        right: var(--ec-launcher-gap);
        z-index: 2147483000;
        display: inline-flex;
        align-items: center;
        gap: 0.4em;
        min-block-size: 3.25rem;
        min-inline-size: 3.25rem;
        padding: 0.6em 1em;
        border-radius: 1.75rem;
        box-shadow: 0 0.25rem 1rem rgb(0 0 0 / 0.25);
        white-space: nowrap;
      }
      /* Physical sides on purpose: the corner the host chose, in any writing direction. */
      :host([side='left']) .button,
      :host([side='left']) .panel {
        right: auto;
        left: var(--ec-launcher-gap);
      }
      .badge {
        min-inline-size: 1.5em;
        padding: 0 0.4em;
        border-radius: 1em;
        background: var(--ec-accent-text);
        color: var(--ec-accent);
        font-size: 0.85em;
        text-align: center;
      }
      .panel {
        position: fixed;
        inset-block-end: calc(var(--ec-launcher-gap) + 4rem);
        right: var(--ec-launcher-gap);
        z-index: 2147483001;
        inline-size: min(24rem, calc(100vw - 2 * var(--ec-launcher-gap)));
        block-size: min(38rem, calc(100dvh - var(--ec-launcher-gap) - 5.5rem));
        border-radius: var(--ec-radius);
        box-shadow: 0 0.5rem 2rem rgb(0 0 0 / 0.3);
        background: var(--ec-bg);
      }
      .panel[hidden] {
        display: none;
      }
      /* A phone (or a short landscape screen): the chat takes the whole screen. */
      @media (max-width: 30rem), (max-height: 30rem) {
        .panel,
        :host([side='left']) .panel {
          inset: 0;
          inline-size: auto;
          block-size: auto;
          border-radius: 0;
        }
        :host([open]) .button {
          display: none;
        }
      }
    `,
  ];

  open = false;
  /** `right` (default) or `left`: the corner of the screen. */
  side: 'right' | 'left' = 'right';
  unread = 0;
  strings = defaultStrings;

  constructor() {
    super();
    this.addEventListener('launcher-close', () => void this.toggle(false));
  }

  /** Opens or closes the panel; closing puts focus back on the button. */
  async toggle(open = !this.open): Promise<void> {
    if (open === this.open) return;
    this.open = open;
    this.dispatchEvent(new CustomEvent('launcher-toggle', { detail: { open }, bubbles: true }));
    await this.updateComplete;
    if (!open) this.renderRoot.querySelector<HTMLButtonElement>('.button')?.focus();
  }

  override render() {
    const s = this.strings;
    const count = this.unread;
    return html`<button
        class="button primary"
        part="launcher-button"
        type="button"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        @click=${() => this.toggle()}
        @keydown=${this.#keydown}
      >
        <span aria-hidden="true">💬</span>
        <span>${s.launcherLabel}</span>
        ${
          count
            ? html`<span class="badge" part="launcher-badge" aria-hidden="true">${count}</span
              ><span class="sr-only">, ${fill(s.unread, { count })}</span>`
            : nothing
        }
      </button>
      <div
        class="panel"
        part="launcher-panel"
        id="panel"
        role="dialog"
        aria-label=${s.title}
        ?hidden=${!this.open}
        @keydown=${this.#keydown}
      >
        <slot></slot>
      </div>`;
  }

  #keydown(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || e.defaultPrevented || !this.open) return;
    // An open modal dialog (report, delete account) closes itself first.
    if (e.composedPath().some((n) => n instanceof HTMLDialogElement && n.open)) return;
    e.preventDefault();
    void this.toggle(false);
  }
}

define('ec-launcher', Launcher);

declare global {
  interface HTMLElementTagNameMap {
    'ec-launcher': Launcher;
  }
}
