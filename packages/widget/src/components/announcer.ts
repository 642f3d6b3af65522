import { html, LitElement } from 'lit';
import { define } from '../define.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';

/**
 * A polite live region that announces new messages, throttled: at most one announcement per
 * `throttleMs`, and a burst becomes "3 new messages". It names the sender, never the text, which
 * a screen reader would speak aloud to the room like a notification.
 */
export class Announcer extends LitElement {
  static override properties = {
    strings: { attribute: false },
    _text: { state: true },
  };

  static override styles = base;

  strings = defaultStrings;
  throttleMs = 2000;
  _text = '';
  #pending: (string | undefined)[] = [];
  #lastAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flip = false;

  /** Queues "new message from `sender`" (or from someone, when the name is not known). */
  announceMessage(sender: string | undefined): void {
    this.#pending.push(sender);
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastAt + this.throttleMs - Date.now());
    this.#timer = setTimeout(() => this.#flush(), wait);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
  }

  override render() {
    return html`<div class="sr-only" role="status" aria-live="polite">${this._text}</div>`;
  }

  #flush(): void {
    this.#timer = undefined;
    const s = this.strings;
    const [first] = this.#pending;
    const text =
      this.#pending.length === 1
        ? fill(s.announceOne, { name: first ?? s.someone })
        : fill(s.announceMany, { count: this.#pending.length });
    this.#pending = [];
    this.#lastAt = Date.now();
    // The same words twice in a row are not re-announced: vary an invisible character.
    this.#flip = !this.#flip;
    this._text = this.#flip ? text : `${text}\u200b`;
  }
}

define('ec-announcer', Announcer);

declare global {
  interface HTMLElementTagNameMap {
    'ec-announcer': Announcer;
  }
}
