import { html, type TemplateResult } from 'lit';
import type { Strings } from './strings.js';
import type { Theme } from './theme/theme.js';

/** The parts of the launcher, for a host's `::part` styles. */
export const launcherParts = 'launcher-button, launcher-badge, launcher-panel, close-button';

interface Focusable extends Element {
  updateComplete: Promise<unknown>;
}

/**
 * On opening, focus goes where the user left off: the composer, else the search or the form. A
 * panel opened while the session is still being checked has none of them yet: wait for one (up
 * to 3 s), unless focus left the widget meanwhile.
 */
async function focusInside(host: HTMLElement & { renderRoot: DocumentFragment | HTMLElement }) {
  const root = host.renderRoot;
  for (let i = 0; i < 60 && (i === 0 || host.matches(':focus-within')); i++) {
    const chat = root.querySelector('ec-chat-view');
    if (chat) return chat.focusComposer();
    const view = root.querySelector('ec-search-view') ?? root.querySelector('ec-login-view');
    if (view) {
      await (view as Focusable).updateComplete;
      return view.focusInput();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  root.querySelector<HTMLButtonElement>('[part="close-button"]')?.focus();
}

/** `<ephemeral-chat mode="launcher">`: the frame in the floating launcher's panel. */
export function launcher(
  host: HTMLElement & { side: string; renderRoot: DocumentFragment | HTMLElement },
  frame: TemplateResult,
  theme: Theme,
  unread: number,
  s: Strings,
): TemplateResult {
  return html`<ec-launcher
    class=${theme}
    exportparts=${launcherParts}
    side=${host.side === 'left' ? 'left' : 'right'}
    .unread=${unread}
    .strings=${s}
    @launcher-toggle=${(e: CustomEvent<{ open: boolean }>) => {
      if (e.detail.open) void focusInside(host);
    }}
    >${frame}</ec-launcher
  >`;
}

/** Closes the launcher's panel: in the frame's header, for a phone where the panel hides the button. */
export function closeButton(s: Strings): TemplateResult {
  return html`<button
    part="close-button"
    type="button"
    aria-label=${s.closeChat}
    @click=${(e: Event) =>
      e.currentTarget?.dispatchEvent(new CustomEvent('launcher-close', { bubbles: true }))}
  >
    <span aria-hidden="true">✕</span>
  </button>`;
}
