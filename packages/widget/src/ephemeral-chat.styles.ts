import { css } from 'lit';

/** The frame: header, status, and one pane (narrow) or list and chat side by side (wide). */
export const rootStyles = css`
  /* Launcher mode: everything is fixed to the screen, so the element takes no room in the page. */
  :host([mode='launcher']) {
    block-size: 0;
  }
  .root {
    container-type: inline-size;
    display: flex;
    flex-direction: column;
    block-size: 100%;
    overflow: hidden;
    font-family: var(--ec-font-family);
    font-size: var(--ec-font-size);
    line-height: 1.4;
    color: var(--ec-text);
    background: var(--ec-bg);
    border: 1px solid var(--ec-border);
    border-radius: var(--ec-radius);
  }
  .root.light {
    color-scheme: light;
  }
  .root.dark {
    color-scheme: dark;
  }
  .root.auto {
    color-scheme: light dark;
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.5em 0.75em;
    border-block-end: 1px solid var(--ec-border);
  }
  /* Only the "Signed in as" line gives way on a narrow screen: buttons keep their words on one line. */
  header > * {
    flex-shrink: 0;
  }
  header button {
    white-space: nowrap;
  }
  h2 {
    margin: 0;
    font-size: 1.1em;
    margin-inline-end: auto;
  }
  .me {
    flex-shrink: 1;
    min-inline-size: 0;
    font-size: 0.85em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .body {
    flex: 1;
    min-block-size: 0;
    display: flex;
    flex-direction: column;
    overflow: auto;
  }
  .panes {
    flex: 1;
    min-block-size: 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    grid-template-rows: minmax(0, 1fr);
  }
  .side {
    overflow-y: auto;
  }
  .main {
    min-block-size: 0;
    display: flex;
    flex-direction: column;
  }
  .main > ec-chat-view {
    flex: 1;
    min-block-size: 0;
  }
  .placeholder {
    margin: auto;
    padding: 1em;
    text-align: center;
  }
  /* Narrow (a phone, a sidebar): one pane at a time. */
  @container (inline-size < 40rem) {
    .panes.has-chat .side,
    .panes:not(.has-chat) .main {
      display: none;
    }
  }
  /* Wide: the list beside the chat. */
  @container (inline-size >= 40rem) {
    .panes {
      grid-template-columns: minmax(14rem, 20rem) 1fr;
    }
    .side {
      border-inline-end: 1px solid var(--ec-border);
    }
  }
  /* A short screen (a phone in landscape): thinner bars leave the messages room. */
  @media (max-height: 30rem) {
    header {
      padding-block: 0.15em;
    }
  }
  @container (max-inline-size: 22rem) {
    .me {
      display: none;
    }
  }
`;
