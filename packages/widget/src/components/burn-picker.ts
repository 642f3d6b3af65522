import { burnChoices } from '@ephemeral-chat/sdk/constants';
import { html, LitElement } from 'lit';
import { define } from '../define.js';
import { formatDuration } from '../format/duration.js';
import { defaultStrings } from '../strings.js';
import { pickerStyles } from './picker-styles.js';

/**
 * Burn after reading: how soon the next message disappears once the peer has read it, or no
 * sooner than its lifetime. Offers the protocol's choices up to that lifetime (`max`), named in
 * the locale's words.
 *
 * @fires burn-change - The user picked another delay; `detail` is the delay in ms, or null (off).
 * @csspart burn-picker - The select.
 */
export class BurnPicker extends LitElement {
  static override properties = {
    value: { type: Number },
    max: { type: Number },
    strings: { attribute: false },
    locale: { type: String },
  };

  static override styles = pickerStyles;

  /** The delay in ms; undefined: off. */
  value: number | undefined;
  /** The message's lifetime: no longer delay is offered. */
  max = 3_600_000;
  strings = defaultStrings;
  locale: string | undefined;

  override render() {
    return html`<label
      ><span class="muted">${this.strings.burnLabel}</span>
      <select part="burn-picker" @change=${this.#change}>
        <option value="" ?selected=${this.value === undefined}>${this.strings.burnOff}</option>
        ${burnChoices
          .filter((c) => c.burn <= this.max)
          .map(
            (c) =>
              html`<option value=${c.burn} ?selected=${c.burn === this.value}>
                ${formatDuration(c.burn, this.locale)}
              </option>`,
          )}
      </select></label
    >`;
  }

  #change(e: Event): void {
    const raw = (e.target as HTMLSelectElement).value;
    this.value = raw ? Number(raw) : undefined;
    this.dispatchEvent(
      new CustomEvent('burn-change', { detail: this.value ?? null, bubbles: true }),
    );
  }
}

define('ec-burn-picker', BurnPicker);

declare global {
  interface HTMLElementTagNameMap {
    'ec-burn-picker': BurnPicker;
  }
}
