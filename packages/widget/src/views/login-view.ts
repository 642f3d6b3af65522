import { limits } from '@ephemeral-chat/sdk/constants';
import { css, html, LitElement, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { define } from '../define.js';
import { asChatError, type FieldErrors, fieldErrors } from '../errors.js';
import type { AuthState } from '../session/auth-state.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';

export const loginParts =
  'login-form, heading, notice, label, input, field-error, form-error, submit-button, mode-toggle';

/** Codes that are the user's to fix in the form: shown there, not raised as `ec-error`. */
const formCodes = new Set([
  'validation_failed',
  'invalid_credentials',
  'username_taken',
  'weak_password',
]);

/**
 * Sign in, or create an account. The server's validation messages appear under the field they
 * concern (`aria-invalid`, `aria-describedby`), and focus moves to the first one.
 *
 * @fires view-error - A failure that is not the user's input (network, rate limit…).
 * @csspart login-form - The form. Also: heading, notice, label, input, field-error,
 *   form-error, submit-button, mode-toggle.
 */
export class LoginView extends LitElement {
  static override properties = {
    auth: { attribute: false },
    strings: { attribute: false },
    _mode: { state: true },
    _busy: { state: true },
    _errors: { state: true },
  };

  static override styles = [
    base,
    css`
      form {
        display: grid;
        gap: 0.9em;
        inline-size: min(100%, 22rem);
        margin: auto;
        padding: 1.25em;
      }
      h3 {
        margin: 0;
        font-size: 1.25em;
      }
      .field {
        display: grid;
        gap: 0.25em;
      }
      label {
        font-weight: 600;
      }
      .hint {
        margin: 0;
        font-size: 0.85em;
      }
      .notice {
        margin: 0;
        padding: 0.5em 0.75em;
        border-radius: calc(var(--ec-radius) / 1.5);
        background: var(--ec-surface);
      }
    `,
  ];

  /** Sign-in state: the form signs in through it and shows why the last session ended. */
  auth: AuthState | undefined;
  strings = defaultStrings;
  _mode: 'login' | 'register' = 'login';
  _busy = false;
  _errors: FieldErrors = {};

  focusInput(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override render() {
    const s = this.strings;
    const register = this._mode === 'register';
    const notice = this.auth?.notice;
    return html`<form
      part="login-form"
      novalidate
      aria-labelledby="heading"
      aria-busy=${this._busy}
      @submit=${this.#submit}
    >
      <h3 id="heading" part="heading">${register ? s.registerHeading : s.signInHeading}</h3>
      ${notice ? html`<p class="notice" part="notice" role="status">${s[notice]}</p>` : nothing}
      ${this.#field('username', s.username, 'text', 'username', register ? this.#rules().username : undefined)}
      ${this.#field('password', s.password, 'password', register ? 'new-password' : 'current-password', register ? this.#rules().password : undefined)}
      ${
        this._errors.form
          ? html`<p class="error" part="form-error" role="alert">${this._errors.form}</p>`
          : nothing
      }
      <button class="primary" part="submit-button" type="submit" ?disabled=${this._busy}>
        ${this._busy ? s.working : register ? s.register : s.signIn}
      </button>
      <button class="link" part="mode-toggle" type="button" @click=${this.#toggle}>
        ${register ? s.toSignIn : s.toRegister}
      </button>
    </form>`;
  }

  /** The server's rules, said before the user submits (the server still checks them). */
  #rules() {
    const s = this.strings;
    return {
      username: fill(s.usernameRules, {
        min: limits.usernameMinLength,
        max: limits.usernameMaxLength,
      }),
      password: fill(s.passwordRules, { min: limits.passwordMinLength }),
    };
  }

  #field(name: string, label: string, type: string, autocomplete: string, hint?: string) {
    const error = this._errors[name];
    const described = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].join(' ').trim();
    return html`<div class="field">
      <label part="label" for=${name}>${label}</label>
      <input
        part="input"
        id=${name}
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        autocapitalize="none"
        spellcheck="false"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(described || undefined)}
      />
      ${hint ? html`<p class="hint muted" part="field-hint" id="${name}-hint">${hint}</p>` : nothing}
      ${error ? html`<p class="error" part="field-error" id="${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  #toggle(): void {
    this._mode = this._mode === 'login' ? 'register' : 'login';
    this._errors = {};
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this._busy || !this.auth) return;
    const data = new FormData(e.target as HTMLFormElement);
    const credentials = {
      username: String(data.get('username') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    };
    // Nothing to send for an empty field: said here, without a round trip.
    const missing: FieldErrors = {};
    if (!credentials.username) missing.username = this.strings.usernameRequired;
    if (!credentials.password) missing.password = this.strings.passwordRequired;
    if (missing.username || missing.password) {
      this._errors = missing;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this._busy = true;
    this._errors = {};
    try {
      await this.auth.signIn(this._mode, credentials);
    } catch (err) {
      const error = asChatError(err);
      this._errors = fieldErrors(error, ['username', 'password'], this.strings);
      if (!formCodes.has(error.code)) {
        this.dispatchEvent(new CustomEvent('view-error', { detail: error, bubbles: true }));
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } finally {
      this._busy = false;
    }
  }
}

define('ec-login-view', LoginView);

declare global {
  interface HTMLElementTagNameMap {
    'ec-login-view': LoginView;
  }
}
