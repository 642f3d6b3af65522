import { css, html, LitElement } from 'lit';
import { define } from '../define.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';
import './burn-picker.js';
import './expiry-picker.js';

export const composerParts = 'composer, composer-input, send-button, expiry-picker, burn-picker';

/**
 * The message box: Enter sends, Shift+Enter adds a line (an IME composition is left alone), with
 * the chat's expiry and burn-after-reading choices beside the send button.
 *
 * @fires compose-send - `detail.text`: the text to send; the box is emptied.
 * @fires compose-typing - The user typed.
 * @fires ttl-change - From the expiry picker.
 * @fires burn-change - From the burn picker (ms, or null: off).
 * @csspart composer - The form.
 * @csspart composer-input - The textarea.
 * @csspart send-button - The send button.
 * @csspart expiry-picker - The expiry select.
 * @csspart burn-picker - The burn-after-reading select.
 */
export class Composer extends LitElement {
  static override properties = {
    ttl: { type: Number },
    burn: { type: Number },
    peer: { type: String },
    strings: { attribute: false },
    locale: { type: String },
  };

  static override styles = [
    base,
    css`
      form {
        display: grid;
        gap: 0.4em;
        padding: 0.5em;
        border-block-start: 1px solid var(--ec-border);
      }
      textarea {
        resize: none;
        inline-size: 100%;
        min-block-size: 2.75rem;
        max-block-size: 8rem;
        field-sizing: content;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em 0.8em;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.4em;
      }
    `,
  ];

  ttl = 3_600_000;
  /** Burn after reading in ms; undefined: off. */
  burn: number | undefined;
  peer = '';
  strings = defaultStrings;
  locale: string | undefined;

  get #input(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  focusInput(): void {
    this.#input?.focus();
  }

  /** Puts back the text of a send that failed, unless the user has typed something new. */
  restore(text: string): void {
    const input = this.#input;
    if (input && !input.value) input.value = text;
  }

  override render() {
    const s = this.strings;
    return html`<form part="composer" @submit=${this.#submit}>
      <textarea
        part="composer-input"
        rows="2"
        aria-label=${fill(s.composerLabel, { name: this.peer })}
        placeholder=${s.composerPlaceholder}
        @keydown=${this.#keydown}
        @input=${() => this.dispatchEvent(new CustomEvent('compose-typing'))}
      ></textarea>
      <div class="row">
        <div class="choices">
          <ec-expiry-picker
            exportparts="expiry-picker"
            .value=${this.ttl}
            .strings=${s}
            .locale=${this.locale}
            @ttl-change=${this.#ttl}
          ></ec-expiry-picker>
          <ec-burn-picker
            exportparts="burn-picker"
            .value=${this.burn}
            .max=${this.ttl}
            .strings=${s}
            .locale=${this.locale}
            @burn-change=${this.#burn}
          ></ec-burn-picker>
        </div>
        <button class="primary" part="send-button" type="submit">${s.send}</button>
      </div>
    </form>`;
  }

  /** Passes the picker's choice on: its event stops at this shadow root. */
  #ttl(e: CustomEvent<number>): void {
    this.ttl = e.detail;
    this.dispatchEvent(new CustomEvent('ttl-change', { detail: e.detail }));
  }

  #burn(e: CustomEvent<number | null>): void {
    this.burn = e.detail ?? undefined;
    this.dispatchEvent(new CustomEvent('burn-change', { detail: e.detail }));
  }

  #keydown(e: KeyboardEvent): void {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    this.#send();
  }

  #submit(e: SubmitEvent): void {
    e.preventDefault();
    this.#send();
  }

  #send(): void {
    const input = this.#input;
    if (!input?.value.trim()) return;
    const text = input.value;
    input.value = '';
    this.dispatchEvent(new CustomEvent('compose-send', { detail: { text } }));
  }
}

define('ec-composer', Composer);

declare global {
  interface HTMLElementTagNameMap {
    'ec-composer': Composer;
  }
}
