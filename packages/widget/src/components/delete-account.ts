import { html, LitElement, nothing } from 'lit';
import { define } from '../define.js';
import { asChatError, errorText } from '../errors.js';
import { defaultStrings, type Strings } from '../strings.js';
import { base } from '../theme/base.js';
import { dialogStyles } from './dialog-styles.js';

/** What account deletion needs: the one call that re-checks the password and deletes. */
export interface AccountDeleter {
  deleteAccount(password: string): Promise<void>;
}

/**
 * "Delete account": a button that opens a confirmation (modal dialog) saying what goes, and asks
 * for the password again. Cancel, Escape or a wrong password change nothing; once the server
 * confirms, the account is gone and the widget shows the sign-in form with a notice.
 *
 * @csspart delete-account-button - The header button. Also: delete-dialog, delete-password,
 *   delete-confirm, delete-cancel, delete-error.
 */
export class DeleteAccount extends LitElement {
  static override properties = {
    auth: { attribute: false },
    strings: { attribute: false },
    _busy: { state: true },
    _error: { state: true },
  };

  static override styles = [base, dialogStyles];

  auth: AccountDeleter | undefined;
  strings: Strings = defaultStrings;
  _busy = false;
  _error: string | undefined;

  override render() {
    const s = this.strings;
    return html`<button part="delete-account-button" type="button" @click=${this.#open}>
        ${s.deleteAccount}
      </button>
      <dialog part="delete-dialog" aria-labelledby="delete-heading" aria-describedby="delete-what">
        <form method="dialog" @submit=${this.#submit}>
          <h3 id="delete-heading">${s.deleteHeading}</h3>
          <p id="delete-what">${s.deleteExplain}</p>
          <label class="stacked">
            ${s.password}
            <input
              part="delete-password"
              type="password"
              name="password"
              autocomplete="current-password"
              required
              aria-invalid=${this._error ? 'true' : 'false'}
            />
          </label>
          ${this._error ? html`<p class="error" part="delete-error" role="alert">${this._error}</p>` : nothing}
          <div class="actions">
            <button part="delete-cancel" type="button" @click=${this.#close}>${s.cancel}</button>
            <button class="danger" part="delete-confirm" type="submit" ?disabled=${this._busy}>
              ${this._busy ? s.working : s.deleteConfirm}
            </button>
          </div>
        </form>
      </dialog>`;
  }

  async #open(): Promise<void> {
    this._error = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector('form')?.reset();
    this.renderRoot.querySelector('dialog')?.showModal();
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  }

  #close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const password = String(new FormData(e.target as HTMLFormElement).get('password') ?? '');
    if (!this.auth || this._busy || !password) return;
    this._busy = true;
    this._error = undefined;
    try {
      await this.auth.deleteAccount(password);
      this.#close();
    } catch (err) {
      const error = asChatError(err);
      const s = this.strings;
      this._error = error.code === 'invalid_credentials' ? s.wrongPassword : errorText(error, s);
    } finally {
      this._busy = false;
    }
  }
}

define('ec-delete-account', DeleteAccount);

declare global {
  interface HTMLElementTagNameMap {
    'ec-delete-account': DeleteAccount;
  }
}
