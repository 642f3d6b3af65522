import { html, type TemplateResult } from 'lit';
import type { Strings } from './strings.js';
import type { Theme } from './theme/theme.js';

/** The parts of the launcher, for a host's `::part` styles. */
export const launcherParts = 'launcher-button, launcher-badge, launcher-panel, close-button';

interface Focusable extends Element {
  updateComplete: Promise<unknown>;
}

/** On opening, focus goes where the user left off: the composer, else the search or the form. */
async function focusInside(root: DocumentFragment | HTMLElement): Promise<void> {
  const chat = root.querySelector('ec-chat-view');
  if (chat) return chat.focusComposer();
  const view = root.querySelector('ec-search-view') ?? root.querySelector('ec-login-view');
  if (view) {
    await (view as Focusable).updateComplete;
    view.focusInput();
    return;
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
      if (e.detail.open) void focusInside(host.renderRoot);
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
