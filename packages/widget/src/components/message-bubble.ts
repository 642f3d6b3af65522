import type { MessageState } from '@ephemeral-chat/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { define } from '../define.js';
import { formatClockTime } from '../format/clock-time.js';
import { formatDuration } from '../format/duration.js';
import { linkify } from '../format/links.js';
import { defaultStrings, fill } from '../strings.js';
import { burnIcon } from './icons.js';
import './countdown.js';

/** What a bubble shows: a stored message has `remaining()`; one still being sent has not. */
export interface BubbleMessage {
  text: string;
  createdAt: number;
  remaining?: () => number;
  ttl?: number;
  burn?: number | undefined;
  expiresAt?: number;
}

/** The parts a bubble exposes, for the views' `exportparts`. */
export const bubbleParts =
  'bubble, bubble-own, bubble-other, bubble-sender, bubble-text, bubble-meta, countdown, burn, receipt, link';

/** The receipt glyphs: one tick stored, two delivered; "seen" is also written out. */
const ticks: Partial<Record<MessageState, string>> = { sent: '✓', delivered: '✓✓', seen: '✓✓' };

/**
 * One message: its text (always as text, never markup), its time, its countdown, whether it burns
 * after reading, and for the user's own, a receipt (✓ sent, ✓✓ delivered, ✓✓ Seen: told by the
 * glyphs and words, not by colour, and named for screen readers). With `leaving` it plays the
 * vanish animation (none under `prefers-reduced-motion`). In a group, others' bubbles show who
 * wrote (`show-sender`) and the user's own show "Seen by k of n" (`seen`) in place of the ticks.
 *
 * @csspart bubble - The bubble (also `bubble-own` or `bubble-other`).
 * @csspart bubble-sender - Who wrote it (in a group).
 * @csspart bubble-text - The message text.
 * @csspart bubble-meta - The time and countdown line.
 * @csspart countdown - The countdown.
 * @csspart burn - "disappears 10 s after it is read", until it is read.
 * @csspart receipt - Sent / delivered / seen, on the user's own messages.
 * @cssprop --ec-own-bubble - Background of the user's bubbles; text: --ec-own-bubble-text.
 * @cssprop --ec-other-bubble - Background of the peer's bubbles; text: --ec-other-bubble-text.
 * @cssprop --ec-vanish-duration - Length of the vanish animation.
 */
export class MessageBubble extends LitElement {
  static override properties = {
    message: { attribute: false },
    own: { type: Boolean, reflect: true },
    state: { type: String },
    seen: { type: String },
    showSender: { type: Boolean, attribute: 'show-sender' },
    leaving: { type: Boolean, reflect: true },
    continued: { type: Boolean },
    sender: { type: String },
    strings: { attribute: false },
    locale: { type: String },
  };

  static override styles = css`
    :host {
      display: flex;
      justify-content: flex-start;
    }
    :host([own]) {
      justify-content: flex-end;
    }
    .bubble {
      max-inline-size: min(80%, 36rem);
      padding: 0.45em 0.75em 0.3em;
      border-radius: var(--ec-radius);
      background: var(--ec-other-bubble);
      color: var(--ec-other-bubble-text);
      border-end-start-radius: 0.2em;
    }
    :host([own]) .bubble {
      background: var(--ec-own-bubble);
      color: var(--ec-own-bubble-text);
      border-end-start-radius: var(--ec-radius);
      border-end-end-radius: 0.2em;
    }
    .sender {
      display: block;
      font-size: 0.8em;
      font-weight: 600;
    }
    p {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    a {
      color: inherit;
      text-decoration: underline;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: flex-end;
      gap: 0.6em;
      font-size: 0.75em;
      opacity: 0.8;
      margin-block-start: 0.15em;
    }
    .burn {
      display: inline-flex;
      align-items: center;
      gap: 0.25em;
    }
    .receipt {
      letter-spacing: -0.2em;
    }
    .receipt > :last-child {
      letter-spacing: normal;
      margin-inline-start: 0.4em;
    }
    .sr-only {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    :host([leaving]) .bubble {
      animation: vanish var(--ec-vanish-duration) ease-in forwards;
    }
    @keyframes vanish {
      to {
        opacity: 0;
        transform: scale(0.85);
        filter: blur(2px);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host([leaving]) .bubble {
        animation: none;
        opacity: 0;
      }
    }
  `;

  message: BubbleMessage | undefined;
  own = false;
  /** The receipt state of the user's own message. */
  state: MessageState | undefined;
  /** "Seen by 2 of 3": the receipt of the user's own message in a group. */
  seen: string | undefined;
  /** Show who wrote it (a group has many writers). */
  showSender = false;
  leaving = false;
  /** The next bubble continues this one's run: it shows the time and countdown for both. */
  continued = false;
  sender = '';
  strings = defaultStrings;
  locale: string | undefined;

  override render() {
    const m = this.message;
    if (!m) return nothing;
    const s = this.strings;
    return html`<div class="bubble" part=${this.own ? 'bubble bubble-own' : 'bubble bubble-other'}>
      ${
        this.showSender
          ? html`<span class="sender" part="bubble-sender">${this.sender}<span class="sr-only">:</span></span>`
          : html`<span class="sr-only">${this.own ? s.you : this.sender}:</span>`
      }
      <p part="bubble-text">${linkify(m.text)}</p>
      <div class="meta" part="bubble-meta">
        ${this.continued ? nothing : this.#clock(m)} ${this.#burn(m)} ${this.#receipt()}
      </div>
    </div>`;
  }

  /** The time and the countdown (or "Sending…"). */
  #clock(m: BubbleMessage) {
    const s = this.strings;
    return html`<time datetime=${new Date(m.createdAt).toISOString()}
        >${formatClockTime(m.createdAt, this.locale)}</time
      >
      ${
        m.remaining
          ? html`<ec-countdown
            exportparts="countdown"
            .message=${m}
            .strings=${s}
            .locale=${this.locale}
          ></ec-countdown>`
          : html`<span>${s.sending}</span>`
      }`;
  }

  /** Until the burn starts (the read lowers `expiresAt`), say that it will. */
  #burn(m: BubbleMessage) {
    if (!m.burn || !m.ttl || m.expiresAt === undefined || m.expiresAt < m.createdAt + m.ttl) {
      return nothing;
    }
    const time = formatDuration(m.burn, this.locale);
    return html`<span class="burn" part="burn"
      >${burnIcon}${fill(this.strings.burnPending, { time })}</span
    >`;
  }

  #receipt() {
    if (this.own && this.seen) {
      return html`<span class="receipt" part="receipt" data-state="seen-by"
        ><span aria-hidden="true">✓</span><span>${this.seen}</span></span
      >`;
    }
    const state = this.own ? this.state : undefined;
    const tick = state && ticks[state];
    if (!state || !tick) return nothing;
    const label = this.strings[state as 'sent' | 'delivered' | 'seen'];
    return html`<span class="receipt" part="receipt" data-state=${state} title=${label}
      ><span aria-hidden="true">${tick}</span
      ><span class=${state === 'seen' ? '' : 'sr-only'}>${label}</span></span
    >`;
  }
}

define('ec-message-bubble', MessageBubble);

declare global {
  interface HTMLElementTagNameMap {
    'ec-message-bubble': MessageBubble;
  }
}
