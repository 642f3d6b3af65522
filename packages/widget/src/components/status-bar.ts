import { css, html, LitElement, nothing } from 'lit';
import { Watch } from '../controllers/watch.js';
import { define } from '../define.js';
import { errorText } from '../errors.js';
import type { AuthState } from '../session/auth-state.js';
import { defaultStrings } from '../strings.js';
import { base } from '../theme/base.js';

/**
 * The connection's state in words (connecting, reconnecting, unreachable with a retry) in a
 * polite status region that is always there, and the latest error in an alert with a dismiss.
 *
 * @fires status-retry - The user asked to try reaching the server again.
 * @fires status-dismiss - The user dismissed the error.
 * @csspart status - The connection line.
 * @csspart status-error - The error line.
 */
export class StatusBar extends LitElement {
  static override properties = {
    auth: { attribute: false },
    strings: { attribute: false },
    error: { type: String },
  };

  static override styles = [
    base,
    css`
      .line {
        display: flex;
        align-items: center;
        gap: 0.6em;
        padding: 0.35em 0.75em;
        font-size: 0.9em;
        background: var(--ec-surface);
        border-block-end: 1px solid var(--ec-border);
      }
      .idle {
        display: none;
      }
      .error {
        margin: 0;
        color: var(--ec-danger);
      }
      button {
        min-block-size: 1.75rem;
        padding-block: 0.1em;
      }
    `,
  ];

  auth: AuthState | undefined;
  strings = defaultStrings;
  error: string | undefined;

  constructor() {
    super();
    new Watch(this, () => [this.auth]);
  }

  override render() {
    const s = this.strings;
    const se = this.auth;
    const signedIn = se?.phase === 'signed-in';
    let text = '';
    // Unreachable says why when it can (offline, or this site is not in ALLOWED_ORIGINS).
    if (se?.phase === 'unreachable') text = se.error ? errorText(se.error, s) : s.unreachable;
    else if (se?.phase === 'starting' || (signedIn && se.connection === 'connecting')) {
      text = s.connecting;
    } else if (signedIn && se.connection === 'reconnecting') text = s.reconnecting;
    // A site the server does not allow stays refused: retrying cannot help the user.
    const retry = se?.phase === 'unreachable' && se.error?.code !== 'origin_not_allowed';
    return html`<div class="line ${text ? '' : 'idle'}" part="status" role="status">
        ${text}
        ${retry ? html`<button type="button" @click=${() => this.#fire('status-retry')}>${s.retry}</button>` : nothing}
      </div>
      ${
        this.error
          ? html`<div class="line error" part="status-error" role="alert">
            <span>${this.error}</span>
            <button type="button" @click=${() => this.#fire('status-dismiss')}>${s.dismiss}</button>
          </div>`
          : nothing
      }`;
  }

  #fire(type: string): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true }));
  }
}

define('ec-status-bar', StatusBar);

declare global {
  interface HTMLElementTagNameMap {
    'ec-status-bar': StatusBar;
  }
}
