import type { Chat, GroupChat } from '@ephemeral-chat/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The page has the user's attention: shown and focused. */
const attentive = () => document.visibilityState === 'visible' && document.hasFocus();

/**
 * Marks a chat read only as far as the user has seen it: the highest message at least half in
 * view in the log (an IntersectionObserver on each `[data-seq]` row), and only while the page is
 * visible and focused; when focus comes back, what is in view then is marked. A read starts the
 * burn of burn-after-reading messages, so nothing off screen or in a background tab counts.
 */
export class ReadMarker implements ReactiveController {
  readonly #root: () => Element | null | undefined;
  readonly #visible = new Set<number>();
  #observer: IntersectionObserver | undefined;
  #observed: Element | undefined;
  #chat: Chat | GroupChat | undefined;
  /** The highest seq marked read by this view. */
  #marked = 0;
  /** The unseen-expired count a read was sent for (a read acknowledges it). */
  #acked = 0;
  #busy = false;
  readonly #check = () => void this.#mark();

  constructor(host: ReactiveControllerHost, root: () => Element | null | undefined) {
    this.#root = root;
    host.addController(this);
  }

  follow(chat: Chat | GroupChat | undefined): void {
    if (chat !== this.#chat) this.flush();
    this.#chat = chat;
    this.#visible.clear();
    this.#marked = 0;
    this.#acked = 0;
  }

  hostConnected(): void {
    addEventListener('focus', this.#check);
    document.addEventListener('visibilitychange', this.#check);
  }

  hostDisconnected(): void {
    removeEventListener('focus', this.#check);
    document.removeEventListener('visibilitychange', this.#check);
    this.#observer?.disconnect();
    this.#observer = this.#observed = undefined;
  }

  /** Watches the rows rendered now (observing a row twice is a no-op). */
  hostUpdated(): void {
    const root = this.#root();
    if (!root) return;
    if (root !== this.#observed) {
      this.#observer?.disconnect();
      this.#observed = root;
      this.#observer = new IntersectionObserver((entries) => this.#seen(entries), {
        root,
        threshold: [0, 0.5, 1],
      });
    }
    for (const row of root.querySelectorAll('[data-seq]')) this.#observer?.observe(row);
    this.#check();
  }

  /**
   * Leaving the chat: marks what is in view right now, measured on the spot. The observer reports
   * only after the next frame, so a user who glances at a chat and goes straight back would
   * otherwise leave what they saw unread. Call it while the rows are still laid out.
   */
  flush(): void {
    const chat = this.#chat;
    const root = this.#root();
    if (!chat || !root || !chat.unread || !attentive()) return;
    const box = root.getBoundingClientRect();
    let seq = 0;
    for (const row of root.querySelectorAll<HTMLElement>('[data-seq]')) {
      const r = row.getBoundingClientRect();
      const shown = Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top);
      if (shown > 0 && shown >= Math.min(r.height, box.height) / 2) {
        seq = Math.max(seq, Number(row.dataset.seq));
      }
    }
    if (seq > this.#marked) chat.markRead(seq).catch(() => {});
  }

  #seen(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const seq = Number((e.target as HTMLElement).dataset.seq);
      // Half of it, or half of the log for a message taller than that.
      const half = Math.min(e.boundingClientRect.height, e.rootBounds?.height ?? 0) / 2;
      if (e.isIntersecting && e.intersectionRect.height >= half) this.#visible.add(seq);
      else this.#visible.delete(seq);
    }
    this.#check();
  }

  async #mark(): Promise<void> {
    const chat = this.#chat;
    if (!chat || this.#busy || !attentive()) return;
    const held = chat.messages();
    const shown = held.filter((m) => this.#visible.has(m.seq)).at(-1)?.seq ?? 0;
    // With nothing unread, the newest held message is read already: marking it burns nothing.
    const seq = chat.unread ? shown : Math.max(shown, held.at(-1)?.seq ?? 0);
    const unseen = 'unseenExpired' in chat ? chat.unseenExpired : 0;
    if (!((chat.unread && seq > this.#marked) || (unseen && unseen !== this.#acked))) return;
    this.#busy = true;
    try {
      this.#marked = Math.max(this.#marked, await chat.markRead(seq));
      this.#acked = unseen;
      this.#busy = false;
      // More may have come into view meanwhile.
      if (chat === this.#chat) this.#check();
    } catch {
      // offline: the next change or focus tries again
      this.#busy = false;
    }
  }
}
