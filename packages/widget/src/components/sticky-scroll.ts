import type { ReactiveController, ReactiveControllerHost } from 'lit';

const SLACK_PX = 48;

/**
 * Keeps a scrolling log on its newest entry while the reader is there, and never moves it once
 * they have scrolled up to read (the host offers a "new messages" button instead). Whether the
 * reader is "there" is decided by their scrolling, not measured at each update: entries render
 * in their own shadow roots after the log's update, so the log grows later, which a
 * ResizeObserver follows. Entries added on top keep the reader's place by the browser's scroll
 * anchoring.
 */
export class StickyScroll implements ReactiveController {
  readonly #scroller: () => HTMLElement | null;
  readonly #onPinned: (pinned: boolean) => void;
  readonly #resize = new ResizeObserver(() => this.#follow());
  #el: HTMLElement | null = null;
  #pinned = true;
  /** Where this controller last scrolled to: a scroll event there is not the reader's doing. */
  #autoTop = -1;

  constructor(
    host: ReactiveControllerHost,
    scroller: () => HTMLElement | null,
    onPinned: (pinned: boolean) => void,
  ) {
    this.#scroller = scroller;
    this.#onPinned = onPinned;
    host.addController(this);
  }

  /** Whether the log follows the newest entry (the reader has not scrolled up). */
  get pinned(): boolean {
    return this.#pinned;
  }

  /** Follow the newest entry again (the user sent something, opened a chat, or asked to). */
  toBottom(): void {
    this.#set(true);
    this.#follow();
  }

  hostUpdated(): void {
    const el = this.#scroller();
    if (el !== this.#el) {
      this.#el?.removeEventListener('scroll', this.#onScroll);
      this.#resize.disconnect();
      this.#el = el;
      el?.addEventListener('scroll', this.#onScroll, { passive: true });
      for (const box of el ? [el, ...el.children] : []) this.#resize.observe(box);
    }
    this.#follow();
  }

  hostDisconnected(): void {
    this.#el?.removeEventListener('scroll', this.#onScroll);
    this.#resize.disconnect();
    this.#el = null;
  }

  #follow(): void {
    const el = this.#el;
    if (!this.#pinned || !el) return;
    el.scrollTop = el.scrollHeight;
    this.#autoTop = el.scrollTop;
  }

  // The log may have grown again between our scroll and its event: only the reader's own
  // scrolling unpins it.
  readonly #onScroll = () => {
    const el = this.#el;
    if (!el) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK_PX) this.#set(true);
    else if (Math.abs(el.scrollTop - this.#autoTop) > 1) this.#set(false);
  };

  #set(pinned: boolean): void {
    if (pinned === this.#pinned) return;
    this.#pinned = pinned;
    this.#onPinned(pinned);
  }
}
