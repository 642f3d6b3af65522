import { css } from 'lit';

/** A modal `<dialog>` of the widget (report, account deletion): themed, narrow, scrolling. */
export const dialogStyles = css`
  dialog {
    color: var(--ec-text);
    background: var(--ec-bg);
    border: 1px solid var(--ec-border);
    border-radius: var(--ec-radius);
    padding: 1em;
    inline-size: min(26rem, calc(100vw - 2rem));
    max-block-size: calc(100vh - 2rem);
    overflow-y: auto;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }
  h3 {
    margin: 0 0 0.5em;
    font-size: 1.05em;
  }
  form {
    display: grid;
    gap: 0.6em;
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.2em;
  }
  legend {
    font-weight: 600;
    margin-block-end: 0.3em;
  }
  label {
    display: flex;
    align-items: center;
    gap: 0.4em;
  }
  label.stacked {
    display: grid;
  }
  p {
    margin: 0;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 0.5em;
  }
  button.danger {
    background: var(--ec-danger);
    border-color: var(--ec-danger);
    color: var(--ec-bg);
    font-weight: 600;
  }
`;
