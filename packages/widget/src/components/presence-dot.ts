import { css, LitElement } from 'lit';
import { define } from '../define.js';

/**
 * A presence dot: filled when online, a ring when offline (shape as well as colour). Purely
 * visual: the parent says "online"/"offline" in text for assistive technology.
 *
 * @cssprop --ec-online - Colour of the online dot.
 * @cssprop --ec-offline - Colour of the offline ring.
 */
export class PresenceDot extends LitElement {
  static override properties = { online: { type: Boolean, reflect: true } };

  static override styles = css`
    :host {
      display: inline-block;
      flex: none;
      inline-size: 0.625em;
      block-size: 0.625em;
      border-radius: 50%;
      border: 2px solid var(--ec-offline);
    }
    :host([online]) {
      background: var(--ec-online);
      border-color: var(--ec-online);
    }
  `;

  online = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('aria-hidden', 'true');
  }
}

define('ec-presence-dot', PresenceDot);

declare global {
  interface HTMLElementTagNameMap {
    'ec-presence-dot': PresenceDot;
  }
}
