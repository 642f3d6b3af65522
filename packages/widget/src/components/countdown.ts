import { css, html, LitElement } from 'lit';
import { define } from '../define.js';
import { formatCountdown } from '../format/countdown.js';
import { formatDuration } from '../format/duration.js';
import { defaultStrings, fill } from '../strings.js';
import { ticker } from '../ticker.js';
import { timerIcon } from './icons.js';

/**
 * The time a message has left, by the server's clock (`remaining()` of an SDK message), as a
 * labelled ticking clock: an icon and "disappears in 0:10", never a bare time that could be
 * mistaken for the time of day. Every countdown on the page runs off the one shared ticker, and re-renders only
 * when its text changes. `role="timer"` is not live: screen readers read it on request.
 *
 * @csspart countdown - The ticking time.
 */
export class Countdown extends LitElement {
  static override properties = {
    message: { attribute: false },
    strings: { attribute: false },
    locale: { type: String },
  };

  static override styles = css`
    span {
      font-variant-numeric: tabular-nums;
      display: inline-flex;
      align-items: center;
      gap: 0.25em;
    }
  `;

  message: { remaining(): number; ttl?: number } | undefined;
  strings = defaultStrings;
  locale: string | undefined;
  #shown = '';
  #off: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#off = ticker.subscribe(() => {
      if (formatCountdown(this.#left()) !== this.#shown) this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#off?.();
  }

  /**
   * Time left, never more than the message's lifetime: the clock offset is estimated within half
   * a round trip, which could otherwise show a 10 s message with "0:11" left.
   */
  #left(): number {
    const m = this.message;
    return m ? Math.min(m.remaining(), m.ttl ?? Number.POSITIVE_INFINITY) : 0;
  }

  override render() {
    const ms = this.#left();
    this.#shown = formatCountdown(ms);
    const label = fill(this.strings.expiresIn, {
      time: formatDuration(ms, this.locale, 'long'),
    });
    return html`<span part="countdown" role="timer" aria-label=${label} title=${label}
      >${timerIcon}${fill(this.strings.countdown, { time: this.#shown })}</span
    >`;
  }
}

define('ec-countdown', Countdown);

declare global {
  interface HTMLElementTagNameMap {
    'ec-countdown': Countdown;
  }
}
