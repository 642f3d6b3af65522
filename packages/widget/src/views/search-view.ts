import type { SearchResult } from '@ephemeral-chat/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { groupFormParts } from '../components/group-form.js';
import { Watch } from '../controllers/watch.js';
import { debounce } from '../debounce.js';
import { define } from '../define.js';
import { fieldErrors } from '../errors.js';
import type { Presence } from '../session/presence.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';
import '../components/presence-dot.js';

export const searchParts = `search-label, search-input, search-error, search-results, user, presence-dot, new-group-button, ${groupFormParts}`;

/**
 * Finds people by username prefix, debounced, with a presence dot on each result (the results'
 * presence is watched while they are shown). Arrow Down moves from the box to the results. In
 * group mode ("New group") a result toggles whether that person is in the new group (a pressed
 * button), and a form names the group and creates it.
 *
 * @fires chat-open - `detail.username`: the user picked someone.
 * @fires group-create - `GroupCreateDetail`: the user created a group (from `ec-group-form`).
 * @csspart search-input - The search box. Also: search-label, search-error, search-results,
 *   user (each result's button), presence-dot, new-group-button, group-form, group-name-input,
 *   picked (the people picked), unpick-button, create-group-button, cancel-group-button,
 *   group-error.
 */
export class SearchView extends LitElement {
  static override properties = {
    searchUsers: { attribute: false },
    presence: { attribute: false },
    strings: { attribute: false },
    _query: { state: true },
    _results: { state: true },
    _error: { state: true },
    _grouping: { state: true },
    _picked: { state: true },
  };

  // The results' one column may shrink below a row's content (an auto column grows to the
  // longest name, and its row with it, past the list), and a row is 100 % of it with its own
  // padding (border-box). (Comments inside css`` ship in the bundle.)
  static override styles = [
    base,
    css`
      :host {
        display: grid;
        /* A long username in the results must not widen the column (and the search box). */
        grid-template-columns: minmax(0, 1fr);
        gap: 0.35em;
        padding: 0.75em;
      }
      label {
        font-weight: 600;
      }
      input {
        inline-size: 100%;
      }
      ul {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.15em;
      }
      .user {
        display: flex;
        align-items: center;
        gap: 0.55em;
        box-sizing: border-box;
        inline-size: 100%;
        text-align: start;
        border-color: transparent;
        background: none;
      }
      .user > span:not(.sr-only) {
        min-inline-size: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .user:hover {
        background: var(--ec-surface);
      }
      .none {
        padding: 0.4em 0.2em;
      }
      .top {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.5em;
      }
      .user[aria-pressed='true'] {
        background: var(--ec-surface);
        font-weight: 600;
      }
    `,
  ];

  /** Finds users by username prefix. */
  searchUsers: ((prefix: string) => Promise<SearchResult[]>) | undefined;
  /** Who is online: the results' presence is watched while they are shown. */
  presence: Presence | undefined;
  strings = defaultStrings;
  _query = '';
  _results: SearchResult[] | undefined;
  _error: string | undefined;
  /** Picking people for a new group. */
  _grouping = false;
  /** The people picked for the new group. */
  _picked: readonly SearchResult[] = [];
  #asked = 0;
  readonly #search = debounce((q: string) => void this.#run(q), 250);

  constructor() {
    super();
    new Watch(this, () => [this.presence]);
  }

  focusInput(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#search.cancel();
    this.presence?.want('search', []);
  }

  override render() {
    const s = this.strings;
    return html`<div class="top">
        <label part="search-label" for="q">${s.searchLabel}</label>
        <button
          class="link"
          part="new-group-button"
          type="button"
          aria-pressed=${this._grouping ? 'true' : 'false'}
          @click=${() => this.#toggleGroup()}
        >
          ${s.newGroup}
        </button>
      </div>
      <input
        part="search-input"
        id="q"
        type="search"
        placeholder=${s.searchPlaceholder}
        autocomplete="off"
        autocapitalize="none"
        spellcheck="false"
        aria-controls="results"
        aria-invalid=${this._error ? 'true' : 'false'}
        aria-describedby=${ifDefined(this._error ? 'q-error' : undefined)}
        @input=${this.#input}
        @keydown=${this.#keydown}
      />
      ${
        this._error
          ? html`<p class="error" part="search-error" id="q-error">${this._error}</p>`
          : nothing
      }
      <ul id="results" part="search-results" aria-label=${s.searchLabel}>
        ${this._results?.map((u) => this.#result(u))}
        ${
          this._results?.length === 0
            ? html`<li class="none muted">${fill(s.searchNone, { query: this._query })}</li>`
            : nothing
        }
      </ul>
      ${
        this._grouping
          ? html`<ec-group-form
            exportparts=${groupFormParts}
            .picked=${this._picked}
            .strings=${s}
            @unpick=${(e: CustomEvent<SearchResult>) => this.#pick(e.detail)}
            @group-done=${() => this.#toggleGroup()}
          ></ec-group-form>`
          : nothing
      }`;
  }

  #toggleGroup(): void {
    this._grouping = !this._grouping;
    this._picked = [];
  }

  /** Puts `u` in the new group, or takes them out. */
  #pick(u: SearchResult): void {
    const has = this._picked.some((p) => p.id === u.id);
    this._picked = has ? this._picked.filter((p) => p.id !== u.id) : [...this._picked, u];
  }

  #result(u: SearchResult) {
    const online = this.presence?.isOnline(u.id) ?? u.online;
    const s = this.strings;
    const grouping = this._grouping;
    return html`<li>
      <button
        part="user"
        class="user"
        type="button"
        aria-pressed=${ifDefined(grouping ? String(this._picked.some((p) => p.id === u.id)) : undefined)}
        @click=${() => (grouping ? this.#pick(u) : this.#open(u.username))}
      >
        <ec-presence-dot part="presence-dot" ?online=${online}></ec-presence-dot>
        <span>${u.username}</span>
        <span class="sr-only">, ${online ? s.online : s.offline}</span>
      </button>
    </li>`;
  }

  /** A chat opened: the search is done (else the peer shows twice, here and in the list). */
  #clear(): void {
    const input = this.renderRoot.querySelector('input');
    if (input) input.value = '';
    this._query = '';
    this.#search.cancel();
    this.#asked++;
    this._results = undefined;
    this._error = undefined;
    this.presence?.want('search', []);
  }

  #input(e: InputEvent): void {
    const q = (e.target as HTMLInputElement).value.trim();
    this._query = q;
    if (q) {
      this.#search(q);
      return;
    }
    this.#search.cancel();
    this.#asked++;
    this._results = undefined;
    this._error = undefined;
    this.presence?.want('search', []);
  }

  #keydown(e: KeyboardEvent): void {
    if (e.key !== 'ArrowDown') return;
    const first = this.renderRoot.querySelector<HTMLButtonElement>('.user');
    if (!first) return;
    e.preventDefault();
    first.focus();
  }

  async #run(q: string): Promise<void> {
    const { searchUsers, presence } = this;
    if (!searchUsers || !presence) return;
    const asked = ++this.#asked;
    try {
      const users = await searchUsers(q);
      if (asked !== this.#asked) return; // a newer query is on its way
      for (const u of users) presence.set(u.id, u.online);
      presence.want(
        'search',
        users.map((u) => u.id),
      );
      [this._results, this._error] = [users, undefined];
    } catch (err) {
      if (asked !== this.#asked) return;
      const errors = fieldErrors(err, ['q'], this.strings);
      [this._results, this._error] = [undefined, errors.q ?? errors.form];
    }
  }

  #open(username: string): void {
    this.#clear();
    this.dispatchEvent(new CustomEvent('chat-open', { detail: { username }, bubbles: true }));
  }
}

define('ec-search-view', SearchView);

declare global {
  interface HTMLElementTagNameMap {
    'ec-search-view': SearchView;
  }
}
