import { css } from 'lit';

/** What every part of the widget shares: box model, controls, focus ring, hidden-but-spoken text. */
export const base = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button,
  input,
  textarea,
  select {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--ec-border);
    border-radius: calc(var(--ec-radius) / 1.5);
    background: var(--ec-surface);
    padding: 0.4em 0.8em;
    min-block-size: 2.25rem;
  }
  button.primary {
    background: var(--ec-accent);
    border-color: var(--ec-accent);
    color: var(--ec-accent-text);
    font-weight: 600;
  }
  button.link {
    border: none;
    background: none;
    color: var(--ec-accent);
    text-decoration: underline;
    padding-inline: 0.25em;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  input,
  textarea,
  select {
    border: 1px solid var(--ec-border);
    border-radius: calc(var(--ec-radius) / 1.5);
    background: var(--ec-bg);
    padding: 0.45em 0.6em;
    min-block-size: 2.25rem;
    min-inline-size: 0;
  }
  [aria-invalid='true'] {
    border-color: var(--ec-danger);
  }
  :focus-visible {
    outline: 2px solid var(--ec-focus-ring);
    outline-offset: 2px;
  }
  .error {
    color: var(--ec-danger);
    margin: 0.25em 0 0;
    font-size: 0.9em;
  }
  .muted {
    color: var(--ec-muted);
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  ul,
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
`;
