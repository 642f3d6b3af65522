import { css } from 'lit';
import { base } from '../theme/base.js';

/** The styles the composer's pickers (lifetime, burn after reading) share: a label and its select. */
export const pickerStyles = [
  base,
  css`
    label {
      display: inline-flex;
      align-items: center;
      gap: 0.4em;
      font-size: 0.9em;
    }
  `,
];
