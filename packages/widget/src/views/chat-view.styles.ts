import { css } from 'lit';

export const chatViewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    block-size: 100%;
    position: relative;
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.6em;
    padding: 0.5em 0.75em;
    border-block-end: 1px solid var(--ec-border);
  }
  .back {
    min-inline-size: 2.25rem;
  }
  /* A short screen (a phone in landscape): a thinner bar leaves the messages room. */
  @media (max-height: 30rem) {
    header {
      padding-block: 0.15em;
    }
  }
  /* The arrow points where the list is: the other way in a right-to-left language. */
  .back > span:dir(rtl) {
    display: inline-block;
    transform: scaleX(-1);
  }
  h3 {
    margin: 0;
    font-size: 1.05em;
    overflow-wrap: anywhere;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    font-size: 0.85em;
  }
  .log {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 0.75em;
  }
  ol {
    display: grid;
    gap: 0.4em;
  }
  .earlier {
    display: block;
    margin: 0 auto 0.5em;
  }
  .day {
    justify-self: center;
    margin: 0.3em 0;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--ec-muted);
  }
  .notice {
    justify-self: center;
    margin: 0 0 0.4em;
    padding: 0.2em 0.8em;
    border-radius: 1em;
    border: 1px dashed var(--ec-border);
    color: var(--ec-muted);
    font-size: 0.8em;
    text-align: center;
  }
  p.notice {
    inline-size: fit-content;
    margin-inline: auto;
  }
  .empty {
    text-align: center;
    margin: 2em 1em;
  }
  .jump {
    position: absolute;
    inset-block-end: 9.5rem;
    /* Centred: physical on purpose, as translateX does not flip with the direction. */
    left: 50%;
    transform: translateX(-50%);
    border-radius: 1em;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
  }
  .typing {
    margin: 0;
    padding: 0 0.9em;
    min-block-size: 1.4em;
    font-size: 0.85em;
    font-style: italic;
  }
  .error {
    padding: 0 0.9em;
  }
`;
