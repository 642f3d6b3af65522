import { ttlChoices } from '@ephemeral-chat/sdk/constants';
import { html, LitElement } from 'lit';
import { define } from '../define.js';
import { formatDuration } from '../format/duration.js';
import { defaultStrings } from '../strings.js';
import { pickerStyles } from './picker-styles.js';

/**
 * How long the next message lives: the protocol's choices (10 s … 24 h) in a native select,
 * named in the locale's words.
 *
 * @fires ttl-change - The user picked another lifetime; `detail` is the ttl in ms.
 * @csspart expiry-picker - The select.
 */
export class ExpiryPicker extends LitElement {
  static override properties = {
    value: { type: Number },
    strings: { attribute: false },
    locale: { type: String },
  };

  static override styles = pickerStyles;

  value = 3_600_000;
  strings = defaultStrings;
  locale: string | undefined;

  override render() {
    return html`<label
      ><span class="muted">${this.strings.expiryLabel}</span>
      <select part="expiry-picker" @change=${this.#change}>
        ${ttlChoices.map(
          (c) =>
            html`<option value=${c.ttl} ?selected=${c.ttl === this.value}>
              ${formatDuration(c.ttl, this.locale)}
            </option>`,
        )}
      </select></label
    >`;
  }

  #change(e: Event): void {
    this.value = Number((e.target as HTMLSelectElement).value);
    this.dispatchEvent(new CustomEvent('ttl-change', { detail: this.value, bubbles: true }));
  }
}

define('ec-expiry-picker', ExpiryPicker);

declare global {
  interface HTMLElementTagNameMap {
    'ec-expiry-picker': ExpiryPicker;
  }
}
