import { reportGraceMs } from '@ephemeral-chat/sdk';
import { reportReasons } from '@ephemeral-chat/sdk/constants';
import { html, LitElement, nothing } from 'lit';
import { define } from '../define.js';
import { asChatError, errorText } from '../errors.js';
import { reportBatchMax, type SafetyClient } from '../session/safety.js';
import { defaultStrings, fill, type Strings } from '../strings.js';
import { base } from '../theme/base.js';
import { dialogStyles } from './dialog-styles.js';

type Reason = (typeof reportReasons)[number];

/** The label of each reason, by its key in the strings. */
const reasonText: Record<Reason, keyof Strings> = {
  spam: 'reasonSpam',
  harassment: 'reasonHarassment',
  hate: 'reasonHate',
  sexual: 'reasonSexual',
  violence: 'reasonViolence',
  self_harm: 'reasonSelfHarm',
  other: 'reasonOther',
};

/** What was reported: how many of the peer's messages, and whether the peer is now blocked. */
export interface ReportDoneDetail {
  count: number;
  blocked: boolean;
}

/**
 * Reports the peer of a 1:1 chat: a reason from the fixed list, an optional comment, and whether
 * to block them too. What goes to the operators is the peer's recent messages — those on screen
 * and those that disappeared within the SDK's grace period, from the copy it keeps for this alone
 * — at most `reportBatchMax`, each as its own report. Their text is never shown again here: the
 * dialog says how many, not what.
 *
 * @fires report-done - The report was sent (`detail`: `ReportDoneDetail`).
 * @csspart report-dialog - The dialog. Also: report-reason, report-comment, report-block,
 *   report-summary, report-submit, report-cancel, report-error.
 */
export class ReportDialog extends LitElement {
  static override properties = {
    safety: { attribute: false },
    room: { attribute: false },
    peer: { attribute: false },
    strings: { attribute: false },
    _count: { state: true },
    _busy: { state: true },
    _error: { state: true },
  };

  static override styles = [base, dialogStyles];

  safety: SafetyClient | undefined;
  room = '';
  peer: { id: string; username: string } | undefined;
  strings: Strings = defaultStrings;
  _count = 0;
  _busy = false;
  _error: string | undefined;

  /** Opens the dialog (modal: focus stays in it; Escape closes it). */
  async show(): Promise<void> {
    this._count = this.#targets().length;
    this._error = undefined;
    await this.updateComplete;
    const form = this.renderRoot.querySelector('form');
    form?.reset();
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  /** The peer's messages to report: the newest, at most `reportBatchMax`. */
  #targets() {
    const { safety, peer } = this;
    if (!safety || !peer) return [];
    return safety
      .reportable(this.room)
      .filter((m) => m.from === peer.id)
      .slice(-reportBatchMax);
  }

  override render() {
    const s = this.strings;
    const name = this.peer?.username ?? '';
    const minutes = Math.round(reportGraceMs / 60_000);
    return html`<dialog part="report-dialog" aria-labelledby="report-heading">
      <form method="dialog" @submit=${this.#submit}>
        <h3 id="report-heading">${fill(s.reportHeading, { name })}</h3>
        <fieldset part="report-reason">
          <legend>${fill(s.reportReason, { name })}</legend>
          ${reportReasons.map(
            (r, i) => html`<label>
              <input type="radio" name="reason" value=${r} ?checked=${i === 0} required />
              ${s[reasonText[r]] as string}
            </label>`,
          )}
        </fieldset>
        <label class="stacked">
          ${s.reportComment}
          <textarea part="report-comment" name="comment" rows="2" maxlength="500"></textarea>
        </label>
        <label>
          <input part="report-block" type="checkbox" name="block" />
          ${fill(s.reportAlsoBlock, { name })}
        </label>
        <p class="muted" part="report-summary">
          ${
            this._count
              ? fill(s.reportWhat, { name, count: this._count, minutes })
              : fill(s.reportNothing, { name, minutes })
          }
        </p>
        ${this._error ? html`<p class="error" part="report-error" role="alert">${this._error}</p>` : nothing}
        <div class="actions">
          <button part="report-cancel" type="button" @click=${this.#close}>${s.cancel}</button>
          <button
            class="primary"
            part="report-submit"
            type="submit"
            ?disabled=${this._busy || !this._count}
          >
            ${this._busy ? s.working : s.reportSend}
          </button>
        </div>
      </form>
    </dialog>`;
  }

  #close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const { safety, peer } = this;
    if (!safety || !peer || this._busy) return;
    const data = new FormData(e.target as HTMLFormElement);
    const reason = String(data.get('reason')) as Reason;
    const comment = String(data.get('comment') ?? '').trim();
    this._busy = true;
    this._error = undefined;
    let count = 0;
    let failure: unknown;
    try {
      // One at a time: each is one frame, and a burst must not meet the rate limit.
      for (const m of this.#targets()) {
        try {
          await safety.report(m, reason, { comment });
          count++;
        } catch (err) {
          failure = err;
        }
      }
      if (!count) throw failure ?? new Error('nothing to report');
      const block = data.get('block') === 'on';
      if (block) await safety.block(peer.id);
      this.#close();
      const detail: ReportDoneDetail = { count, blocked: block };
      this.dispatchEvent(new CustomEvent('report-done', { detail, bubbles: true }));
    } catch (err) {
      this._error = errorText(asChatError(err), this.strings);
    } finally {
      this._busy = false;
    }
  }
}

define('ec-report-dialog', ReportDialog);

declare global {
  interface HTMLElementTagNameMap {
    'ec-report-dialog': ReportDialog;
  }
}
