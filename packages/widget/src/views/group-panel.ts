import type { GroupChat, GroupMember, SearchResult } from '@ephemeral-chat/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { Watch } from '../controllers/watch.js';
import { debounce } from '../debounce.js';
import { define } from '../define.js';
import { asChatError, errorText } from '../errors.js';
import type { Presence } from '../session/presence.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';
import '../components/presence-dot.js';

export const groupPanelParts =
  'group-panel, member-list, member, admin-badge, promote-button, remove-button, rename-form, rename-input, rename-button, add-input, add-result, leave-button, group-panel-error';

/**
 * A group's members with their presence and admin flag, and what the user may do: any member
 * may leave; an admin may add people (found by username), remove members, make or unmake admins
 * and rename the group. Each change is the server's to accept: a refusal shows here.
 *
 * @fires view-error - An action failed (also shown in the panel).
 * @csspart group-panel - The panel. Also: member-list, member, admin-badge, promote-button,
 *   remove-button, rename-form, rename-input, rename-button, add-input, add-result,
 *   leave-button, group-panel-error.
 */
export class GroupPanel extends LitElement {
  static override properties = {
    chat: { attribute: false },
    userId: { attribute: false },
    presence: { attribute: false },
    searchUsers: { attribute: false },
    strings: { attribute: false },
    _found: { state: true },
    _error: { state: true },
  };

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: 0.5em 0.75em;
        border-block-end: 1px solid var(--ec-border);
        /* The log keeps most of the height: the panel scrolls. */
        flex-shrink: 0;
        max-block-size: min(40%, 16em);
        overflow-y: auto;
      }
      ul {
        display: grid;
        gap: 0.2em;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.45em;
      }
      .who {
        flex: 1;
      }
      .badge {
        font-size: 0.75em;
        padding: 0 0.45em;
        border: 1px solid var(--ec-border);
        border-radius: 1em;
      }
      li button {
        padding: 0.1em 0.5em;
        font-size: 0.85em;
      }
      form,
      .add {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
        align-items: center;
        margin-block-start: 0.6em;
      }
      input {
        flex: 1;
        min-inline-size: 8em;
      }
      .leave {
        margin-block-start: 0.6em;
      }
    `,
  ];

  chat: GroupChat | undefined;
  userId: string | undefined;
  presence: Presence | undefined;
  /** Finds users by username prefix (to add them). */
  searchUsers: ((prefix: string) => Promise<SearchResult[]>) | undefined;
  strings = defaultStrings;
  _found: readonly SearchResult[] = [];
  _error: string | undefined;
  #asked = 0;
  readonly #search = debounce((q: string) => void this.#find(q), 250);

  constructor() {
    super();
    new Watch(this, () => [this.presence]);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#search.cancel();
  }

  override render() {
    const { chat, strings: s } = this;
    if (!chat) return nothing;
    const admin = chat.admin;
    return html`<section part="group-panel" aria-label=${s.membersButton}>
      <ul part="member-list" aria-label=${s.membersButton}>
        ${chat.members.map((m) => this.#member(m, admin))}
      </ul>
      ${admin ? this.#adminForms() : nothing}
      ${this._error ? html`<p class="error" part="group-panel-error" role="alert">${this._error}</p>` : nothing}
      <button class="leave" part="leave-button" type="button" @click=${this.#leave}>
        ${s.leaveGroup}
      </button>
    </section>`;
  }

  #member(m: GroupMember, admin: boolean) {
    const s = this.strings;
    const me = m.id === this.userId;
    const online = me || (this.presence?.isOnline(m.id) ?? false);
    const name = m.username;
    return html`<li part="member" data-user=${m.id}>
      <ec-presence-dot ?online=${online}></ec-presence-dot>
      <span class="who">${name}${me ? ` (${s.you})` : ''}
        <span class="sr-only">, ${online ? s.online : s.offline}</span></span>
      ${m.admin ? html`<span class="badge" part="admin-badge">${s.admin}</span>` : nothing}
      ${
        admin && !me
          ? html`<button
              part="promote-button"
              type="button"
              aria-label=${fill(m.admin ? s.unmakeAdminLabel : s.makeAdminLabel, { name })}
              @click=${() => this.#act(() => this.chat?.setAdmin(m.id, !m.admin))}
            >
              ${m.admin ? s.unmakeAdmin : s.makeAdmin}
            </button>
            <button
              part="remove-button"
              type="button"
              aria-label=${fill(s.removeMemberLabel, { name })}
              @click=${() => this.#act(() => this.chat?.remove(m.id))}
            >
              ${s.removeMember}
            </button>`
          : nothing
      }
    </li>`;
  }

  #adminForms() {
    const s = this.strings;
    const members = new Set(this.chat?.members.map((m) => m.id));
    return html`<form part="rename-form" @submit=${this.#rename}>
        <label class="sr-only" for="group-name">${s.groupName}</label>
        <input
          part="rename-input"
          id="group-name"
          maxlength="64"
          required
          autocomplete="off"
          .value=${this.chat?.group.name ?? ''}
        />
        <button part="rename-button" type="submit">${s.rename}</button>
      </form>
      <div class="add">
        <label class="sr-only" for="add">${s.addPeople}</label>
        <input
          part="add-input"
          id="add"
          type="search"
          placeholder=${s.addPeople}
          autocomplete="off"
          autocapitalize="none"
          spellcheck="false"
          @input=${this.#input}
        />
      </div>
      <ul aria-label=${s.addPeople}>
        ${this._found
          .filter((u) => !members.has(u.id))
          .map(
            (u) => html`<li>
              <button
                part="add-result"
                type="button"
                aria-label=${fill(s.addPerson, { name: u.username })}
                @click=${() => this.#act(() => this.chat?.add([u.username]))}
              >
                + ${u.username}
              </button>
            </li>`,
          )}
      </ul>`;
  }

  #input(e: InputEvent): void {
    const q = (e.target as HTMLInputElement).value.trim();
    if (q) this.#search(q);
    else {
      this.#search.cancel();
      this.#asked++;
      this._found = [];
    }
  }

  async #find(q: string): Promise<void> {
    const asked = ++this.#asked;
    try {
      const found = (await this.searchUsers?.(q)) ?? [];
      if (asked === this.#asked) this._found = found;
    } catch (err) {
      if (asked === this.#asked) this.#fail(err);
    }
  }

  #rename(e: SubmitEvent): void {
    e.preventDefault();
    const name = this.renderRoot.querySelector<HTMLInputElement>('#group-name')?.value.trim();
    if (name && name !== this.chat?.group.name) void this.#act(() => this.chat?.rename(name));
  }

  #leave(): void {
    void this.#act(() => this.chat?.leave());
  }

  async #act(action: () => Promise<unknown> | undefined): Promise<void> {
    this._error = undefined;
    try {
      await action();
      this.requestUpdate();
    } catch (err) {
      this.#fail(err);
    }
  }

  #fail(err: unknown): void {
    this._error = errorText(err, this.strings);
    this.dispatchEvent(
      new CustomEvent('view-error', { detail: asChatError(err), bubbles: true, composed: true }),
    );
  }
}

define('ec-group-panel', GroupPanel);

declare global {
  interface HTMLElementTagNameMap {
    'ec-group-panel': GroupPanel;
  }
}
