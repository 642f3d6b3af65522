import type { Chat, ChatMessage, Client } from '@ephemeral-chat/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BubbleMessage } from '../components/message-bubble.js';

/** A message being sent: shown with "Sending…" until the server has stored it. */
export interface Pending extends BubbleMessage {
  id: number;
}

export interface ChatMessagesOptions {
  /** A message was added at the bottom (the peer's or the user's). */
  arrived(message: ChatMessage): void;
  /** How long the vanish animation runs, in ms (0: none). */
  vanishMs(): number;
}

/**
 * What one chat view shows: the chat's unexpired messages, kept current from the client's events;
 * the ones playing their vanish animation; and the user's sends that the server has not stored
 * yet. The host re-renders on every change.
 */
export class ChatMessages implements ReactiveController {
  messages: readonly ChatMessage[] = [];
  leaving: ReadonlySet<number> = new Set();
  pending: readonly Pending[] = [];
  /** Older messages may exist (a full first page, or the last history page said so). */
  more = false;
  readonly #host: ReactiveControllerHost;
  readonly #options: ChatMessagesOptions;
  #chat: Chat | undefined;
  #offs: (() => void)[] = [];
  #sent = 0;

  constructor(host: ReactiveControllerHost, options: ChatMessagesOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The chat followed now. */
  get chat(): Chat | undefined {
    return this.#chat;
  }

  follow(client: Client, chat: Chat): void {
    this.unfollow();
    this.#chat = chat;
    this.messages = chat.messages();
    this.leaving = new Set();
    this.pending = [];
    this.more = chat.hasMore;
    this.#offs = [
      client.on('message', (m) => m.room === chat.room && this.#arrive(m)),
      client.on('expired', (m) => m.room === chat.room && this.#vanish(m)),
    ];
    this.#host.requestUpdate();
  }

  unfollow(): void {
    this.#chat = undefined;
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  hostDisconnected(): void {
    this.unfollow();
  }

  /** Sends `text`, shown as pending until stored; rejects as `chat.send` does. */
  async send(text: string, ttl: number): Promise<void> {
    const chat = this.#chat;
    if (!chat) return;
    const p: Pending = { id: ++this.#sent, text, createdAt: Date.now() };
    this.#set({ pending: [...this.pending, p] });
    try {
      await chat.send(text, { ttl });
    } finally {
      this.#set({ pending: this.pending.filter((x) => x !== p) });
    }
  }

  /** Loads the page of messages before the oldest shown. */
  async earlier(): Promise<void> {
    const chat = this.#chat;
    const page = await chat?.history();
    if (!page || chat !== this.#chat) return;
    const known = new Set(this.messages.map((m) => m.seq));
    const older = page.messages.filter((m) => !known.has(m.seq));
    this.#set({ messages: [...older, ...this.messages], more: page.hasMore });
  }

  #arrive(m: ChatMessage): void {
    if (this.messages.some((x) => x.seq === m.seq)) return;
    this.#set({ messages: [...this.messages, m].sort((a, b) => a.seq - b.seq) });
    this.#options.arrived(m);
  }

  /** Plays the vanish animation, then drops the message. */
  #vanish(m: ChatMessage): void {
    this.#set({ leaving: new Set(this.leaving).add(m.seq) });
    const chat = this.#chat;
    setTimeout(() => {
      if (chat !== this.#chat) return;
      const leaving = new Set(this.leaving);
      leaving.delete(m.seq);
      this.#set({ messages: this.messages.filter((x) => x.seq !== m.seq), leaving });
    }, this.#options.vanishMs());
  }

  #set(changes: Partial<Pick<ChatMessages, 'messages' | 'leaving' | 'pending' | 'more'>>): void {
    Object.assign(this, changes);
    this.#host.requestUpdate();
  }
}
