import { limits } from '@ephemeral-chat/sdk/constants';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { define } from '../define.js';
import { loadDraft, saveDraft } from '../session/drafts.js';
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
    user: { type: String },
    room: { type: String },
    max: { type: Number },
    _length: { state: true },
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
      .count {
        margin: 0;
        font-size: 0.85em;
        text-align: end;
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
      /* A short screen (a phone in landscape): Send beside the box, the choices below both. */
      @media (max-height: 30rem) {
        form {
          grid-template-columns: minmax(0, 1fr) auto;
          gap: 0.25em 0.4em;
          padding-block: 0.25em;
        }
        textarea {
          min-block-size: 2.25rem;
        }
        .row {
          display: contents;
        }
        .choices {
          grid-column: 1 / -1;
        }
        button {
          grid-row: 1;
          grid-column: 2;
          align-self: end;
        }
      }
    `,
  ];

  ttl = 3_600_000;
  /** Burn after reading in ms; undefined: off. */
  burn: number | undefined;
  peer = '';
  strings = defaultStrings;
  locale: string | undefined;
  /** The user and the chat: the draft is kept per chat (sessionStorage) until sent. */
  user = '';
  room = '';
  /** The longest message, in code points (the server's limit). */
  max: number = limits.messageMaxLength;
  /** Code points in the box. */
  _length = 0;
  /** The stored draft of the chat just shown, for the box once rendered. */
  #draft = '';

  get #input(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  focusInput(): void {
    this.#input?.focus();
  }

  /** Puts back the text of a send that failed, unless the user has typed something new. */
  restore(text: string): void {
    const input = this.#input;
    if (input && !input.value) {
      input.value = text;
      this.#changed(false);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!(changed.has('room') || changed.has('user'))) return;
    // Another chat: its own draft (the previous one is already saved).
    this.#draft = this.user && this.room ? loadDraft(this.user, this.room) : '';
    this._length = count(this.#draft);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const input = this.#input;
    if (input && (changed.has('room') || changed.has('user'))) input.value = this.#draft;
  }

  override render() {
    const s = this.strings;
    // The counter appears near the limit; past it, Send is refused here, with the reason.
    const near = this._length > this.max * 0.9;
    const over = this._length > this.max;
    return html`<form part="composer" @submit=${this.#submit}>
      <textarea
        part="composer-input"
        rows="2"
        aria-label=${fill(s.composerLabel, { name: this.peer })}
        placeholder=${s.composerPlaceholder}
        @keydown=${this.#keydown}
        aria-invalid=${over ? 'true' : 'false'}
        aria-describedby=${near ? 'count' : nothing}
        @input=${() => this.#changed()}
      ></textarea>
      ${
        near
          ? html`<p class="count ${over ? 'error' : 'muted'}" part="char-count" id="count">
            ${fill(s.charCount, { count: this._length, max: this.max })}
          </p>`
          : nothing
      }
      ${
        over
          ? html`<p class="error" part="length-error" role="alert">
            ${fill(s.tooLongBy, { count: this._length - this.max })}
          </p>`
          : nothing
      }
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

  /** The text changed: count it and keep it as the draft; `typed` by the user, not restored. */
  #changed(typed = true): void {
    const value = this.#input?.value ?? '';
    this._length = count(value);
    if (this.user && this.room) saveDraft(this.user, this.room, value);
    if (typed) this.dispatchEvent(new CustomEvent('compose-typing'));
  }

  #send(): void {
    const input = this.#input;
    if (!input?.value.trim() || this._length > this.max) return;
    const text = input.value;
    input.value = '';
    this._length = 0;
    if (this.user && this.room) saveDraft(this.user, this.room, '');
    this.dispatchEvent(new CustomEvent('compose-send', { detail: { text } }));
  }
}

/** Length as the server counts it: code points, not UTF-16 units. */
function count(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

define('ec-composer', Composer);

declare global {
  interface HTMLElementTagNameMap {
    'ec-composer': Composer;
  }
}
