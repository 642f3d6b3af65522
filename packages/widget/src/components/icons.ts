import { html } from 'lit';

/**
 * Small inline icons (SVG in the template: no markup strings, nothing to load). Decorative: the
 * text beside each one says the same, so they are hidden from assistive technology.
 */
const icon = (paths: ReturnType<typeof html>) =>
  html`<svg class="icon" viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`;

/** A stopwatch: the countdown. */
export const timerIcon = icon(
  html`<circle cx="8" cy="9" r="5.5"></circle><path d="M8 9V6M6.5 1.5h3"></path>`,
);

/** A flame: burn after reading. */
export const burnIcon = icon(
  html`<path d="M8 14.5c2.8 0 4.5-1.9 4.5-4.3 0-2.7-2.3-4.2-3-7.2C7.7 4.7 7.4 6 7 7.2 6.3 6.6 6 5.9 5.9 5 4.4 6.4 3.5 8.2 3.5 10.2c0 2.4 1.7 4.3 4.5 4.3z"></path>`,
);
