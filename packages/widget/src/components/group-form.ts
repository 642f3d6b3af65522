import type { SearchResult } from '@ephemeral-chat/sdk';
import { css, html, LitElement, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { define } from '../define.js';
import { fieldErrors } from '../errors.js';
import { defaultStrings, fill } from '../strings.js';
import { base } from '../theme/base.js';

/** `group-create`: the user named a group and picked its members; `done` settles with its creation. */
export interface GroupCreateDetail {
  name: string;
  usernames: string[];
  /** Set by whoever creates it: the form says it is done once it resolves, and why if it rejects. */
  done?: Promise<void> | undefined;
}

export const groupFormParts =
  'group-form, group-name-input, picked, unpick-button, create-group-button, cancel-group-button, group-error';

/**
 * Names a new group whose members were picked elsewhere (the search results), shows them with a
 * button each to take them out again, and creates it.
 *
 * @fires group-create - `GroupCreateDetail` (bubbles out of shadow roots to the element).
 * @fires group-done - The group was created, or the user cancelled.
 * @fires unpick - `detail`: the `SearchResult` to take out.
 * @csspart group-form - The form. Also: group-name-input, picked, unpick-button,
 *   create-group-button, cancel-group-button, group-error.
 */
export class GroupForm extends LitElement {
  static override properties = {
    picked: { attribute: false },
    strings: { attribute: false },
    _error: { state: true },
  };

  static override styles = [
    base,
    css`
      form {
        display: grid;
        gap: 0.35em;
        padding: 0.5em;
        border: 1px solid var(--ec-border);
        border-radius: var(--ec-radius);
      }
      p {
        margin: 0;
      }
      ul {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em;
      }
      ul button {
        padding: 0.1em 0.5em;
        font-size: 0.85em;
      }
      .actions {
        display: flex;
        gap: 0.4em;
        justify-content: flex-end;
      }
    `,
  ];

  /** The people picked for the group. */
  picked: readonly SearchResult[] = [];
  strings = defaultStrings;
  _error: string | undefined;

  override render() {
    const s = this.strings;
    const picked = this.picked;
    const error = this._error;
    return html`<form part="group-form" aria-label=${s.newGroup} @submit=${this.#create}>
      <p class="muted">${s.newGroupHint}</p>
      ${
        picked.length
          ? html`<ul part="picked" aria-label=${s.picked}>
            ${picked.map(
              (u) => html`<li>
                <button
                  part="unpick-button"
                  type="button"
                  aria-label=${fill(s.unpick, { name: u.username })}
                  @click=${() => this.#fire('unpick', u)}
                >
                  ${u.username} <span aria-hidden="true">×</span>
                </button>
              </li>`,
            )}
          </ul>`
          : nothing
      }
      <label for="name">${s.groupName}</label>
      <input
        part="group-name-input"
        id="name"
        autocomplete="off"
        maxlength="64"
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(error ? 'error' : undefined)}
      />
      ${error ? html`<p class="error" part="group-error" id="error" role="alert">${error}</p>` : nothing}
      <div class="actions">
        <button part="cancel-group-button" type="button" @click=${() => this.#fire('group-done')}>
          ${s.cancel}
        </button>
        <button class="primary" part="create-group-button" type="submit" ?disabled=${!picked.length}>
          ${s.createGroup}
        </button>
      </div>
    </form>`;
  }

  async #create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const name = this.renderRoot.querySelector<HTMLInputElement>('#name')?.value.trim() ?? '';
    if (!name || !this.picked.length) return;
    const detail: GroupCreateDetail = { name, usernames: this.picked.map((u) => u.username) };
    this.dispatchEvent(new CustomEvent('group-create', { detail, bubbles: true, composed: true }));
    try {
      await detail.done;
      this._error = undefined;
      this.#fire('group-done');
    } catch (err) {
      this._error = fieldErrors(err, [], this.strings).form;
    }
  }

  #fire(type: 'unpick' | 'group-done', detail?: SearchResult): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

define('ec-group-form', GroupForm);

declare global {
  interface HTMLElementTagNameMap {
    'ec-group-form': GroupForm;
  }
}
