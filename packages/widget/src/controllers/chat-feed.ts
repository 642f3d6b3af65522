import type { Chat, ChatMessage, GroupChat, GroupEvent, SettingsEvent } from '@ephemeral-chat/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BubbleMessage } from '../components/message-bubble.js';

/** A message being sent: shown with "Sending…" until the server has stored it. */
export interface Pending extends BubbleMessage {
  id: number;
}

export interface ChatFeedOptions {
  /** A message was added (the peer's or the user's). */
  arrived(message: ChatMessage): void;
  /** How long the vanish animation runs, in ms (0: none). */
  vanishMs(): number;
  /** A message expired (before its vanish animation). */
  expired?(message: ChatMessage): void;
  /** A member changed the chat's settings. */
  settings?(event: SettingsEvent): void;
  /** The chat's unseen-expired count changed. */
  unseen?(): void;
  /** The group changed (members, name, admins). */
  group?(event: GroupEvent): void;
}

/**
 * Follows one SDK chat for its view, re-rendering the host on the chat's events. The messages
 * are the chat's own (the SDK keeps them unexpired and sorted); this holds only what the SDK does
 * not: the user's sends not stored yet, and expired messages while they play their vanish
 * animation.
 */
export class ChatFeed implements ReactiveController {
  pending: readonly Pending[] = [];
  readonly #host: ReactiveControllerHost;
  readonly #options: ChatFeedOptions;
  readonly #leaving = new Map<number, ChatMessage>();
  #chat: Chat | GroupChat | undefined;
  #offs: (() => void)[] = [];
  #sent = 0;

  constructor(host: ReactiveControllerHost, options: ChatFeedOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The chat followed now. */
  get chat(): Chat | GroupChat | undefined {
    return this.#chat;
  }

  /** The chat's messages, with the vanishing ones still in place, ascending by seq. */
  get messages(): readonly ChatMessage[] {
    const held = this.#chat?.messages() ?? [];
    if (!this.#leaving.size) return held;
    return [...held, ...this.#leaving.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Older messages may exist (a full first page, or the last history page said so). */
  get more(): boolean {
    return this.#chat?.hasMore ?? false;
  }

  leaving(seq: number): boolean {
    return this.#leaving.has(seq);
  }

  follow(chat: Chat | GroupChat): void {
    this.unfollow();
    this.#chat = chat;
    this.pending = [];
    const c = chat as Chat; // the events both kinds of chat have
    this.#offs = [
      ...('group' in chat
        ? [
            chat.on('group', (e) => {
              this.#options.group?.(e);
              this.#host.requestUpdate();
            }),
          ]
        : []),
      c.on('message', (m) => {
        this.#host.requestUpdate();
        this.#options.arrived(m);
      }),
      c.on('expired', (m) => {
        this.#options.expired?.(m);
        this.#vanish(m);
      }),
      c.on('settings', (e) => {
        this.#options.settings?.(e);
        this.#host.requestUpdate();
      }),
      c.on('unseen', () => {
        this.#options.unseen?.();
        this.#host.requestUpdate();
      }),
      // Receipts and burns change how the messages look; an unsent message leaves the screen at
      // once (messages() no longer holds it).
      ...(['read', 'delivered', 'expiry', 'unsent'] as const).map((e) =>
        c.on(e, () => this.#host.requestUpdate()),
      ),
    ];
    this.#host.requestUpdate();
  }

  unfollow(): void {
    this.#chat = undefined;
    this.#leaving.clear();
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  hostDisconnected(): void {
    this.unfollow();
  }

  /** Sends `text`, shown as pending until stored; rejects as `chat.send` does. */
  async send(text: string, ttl: number, burn?: number): Promise<void> {
    const chat = this.#chat;
    if (!chat) return;
    const p: Pending = { id: ++this.#sent, text, createdAt: Date.now() };
    this.#setPending([...this.pending, p]);
    try {
      await chat.send(text, burn === undefined ? { ttl } : { ttl, burn });
    } finally {
      this.#setPending(this.pending.filter((x) => x !== p));
    }
  }

  /** Loads the page of messages before the oldest shown (the chat keeps it). */
  async earlier(): Promise<void> {
    const chat = this.#chat;
    await chat?.history();
    if (chat === this.#chat) this.#host.requestUpdate();
  }

  /** Plays the vanish animation, then lets the message go. */
  #vanish(m: ChatMessage): void {
    this.#leaving.set(m.seq, m);
    this.#host.requestUpdate();
    const chat = this.#chat;
    setTimeout(() => {
      if (chat !== this.#chat) return;
      this.#leaving.delete(m.seq);
      this.#host.requestUpdate();
    }, this.#options.vanishMs());
  }

  #setPending(pending: readonly Pending[]): void {
    this.pending = pending;
    this.#host.requestUpdate();
  }
}
