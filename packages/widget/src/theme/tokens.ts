import { css } from 'lit';

/**
 * The public theming surface: custom properties on `:host`, each documented in the README. Colours
 * are `light-dark(light, dark)` pairs, resolved by the `color-scheme` the theme sets; a page
 * overrides one with a plain colour (both schemes) or its own `light-dark()` pair.
 */
export const tokens = css`
  :host {
    --ec-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --ec-font-size: 0.9375rem;
    --ec-radius: 0.75rem;
    --ec-bg: light-dark(#ffffff, #15171c);
    --ec-surface: light-dark(#f3f4f7, #1f222a);
    --ec-text: light-dark(#16181d, #e8e9ee);
    --ec-muted: light-dark(#5a6070, #a2a7b4);
    --ec-border: light-dark(#d6d9e0, #363a46);
    --ec-accent: light-dark(#2353c9, #8aaeff);
    --ec-accent-text: light-dark(#ffffff, #0b1020);
    --ec-own-bubble: var(--ec-accent);
    --ec-own-bubble-text: var(--ec-accent-text);
    --ec-other-bubble: var(--ec-surface);
    --ec-other-bubble-text: var(--ec-text);
    --ec-danger: light-dark(#b3261e, #ff8a80);
    --ec-online: light-dark(#16833c, #4cd97b);
    --ec-offline: light-dark(#8a8f9c, #6b7080);
    --ec-focus-ring: light-dark(#2353c9, #b8ccff);
    --ec-vanish-duration: 320ms;

    display: block;
    block-size: 36rem;
    max-inline-size: 100%;
    color-scheme: light dark;
  }

  :host([hidden]) {
    display: none;
  }
`;
