import { codePointLength, expiry, limits, type PublicUser } from '@ephemeral-chat/protocol';
import { userTopic } from '../delivery/topics.js';
import type { Bus } from '../engine/bus/bus.js';
import type { MessagePage, MessageStore } from '../engine/messages/message-store.js';
import type { Presence } from '../engine/presence/presence.js';
import { AppError } from '../errors/app-error.js';
import { ReplyBudget } from './reply-budget.js';
import { fitInBytes, preview } from './reply-fit.js';
import { peerIn, roomFor } from './rooms.js';
import type { UserDirectory } from './user-directory.js';

export interface Peer extends PublicUser {
  online: boolean;
}

export interface ChatOptions {
  /** The node's per-socket send buffer: a reply holds at most a quarter of it. @default 1 MiB */
  maxBackpressureBytes?: number;
  /** Bytes of replies being read and built at once on this node. @default 64 MiB */
  replyBytesInFlight?: number;
}

const OPEN_PAGE = 50;
const CHATS_MAX = 100;
/** Room for a reply's frame around its messages: type, id, room (≤160), peer (≤~500 bytes). */
const ENVELOPE_BYTES = 1024;

/** The chat rules: membership on every operation, limits, expiry defaults. No transport here. */
export class ChatService {
  /** Bytes one reply holds at most (see `limits.replyMaxBytes`). */
  readonly replyMaxBytes: number;
  readonly #budget: ReplyBudget;

  constructor(
    private readonly messages: MessageStore,
    private readonly presence: Pick<Presence, 'onlineUsers'>,
    /** For typing and read events. */
    private readonly bus: Pick<Bus, 'publish'>,
    private readonly directory: UserDirectory,
    private readonly now: () => number = Date.now,
    options: ChatOptions = {},
  ) {
    const backpressure = options.maxBackpressureBytes ?? 1024 * 1024;
    this.replyMaxBytes = Math.min(limits.replyMaxBytes, Math.floor(backpressure / 4));
    this.#budget = new ReplyBudget(options.replyBytesInFlight ?? 64 * 1024 * 1024);
  }

  /** Bytes the messages of one page may take, leaving room for the frame around them. */
  get #pageBytes(): number {
    return Math.max(this.replyMaxBytes - ENVELOPE_BYTES, 0);
  }

  async open(userId: string, username: string) {
    const peer = await this.directory.byUsername(username);
    if (!peer) throw new AppError('user_not_found', `No user is called ${username}.`);
    if (peer.id === userId) {
      throw new AppError('validation_failed', 'You cannot open a chat with yourself.');
    }
    const room = roomFor(userId, peer.id);
    const [page, online, [state]] = await Promise.all([
      this.#read(() =>
        this.messages.readBefore(room, undefined, OPEN_PAGE, this.now(), this.#pageBytes),
      ),
      this.presence.onlineUsers([peer.id], this.now()),
      this.messages.readStates(userId, [{ room, peer: peer.id }], this.now()),
    ]);
    const opened = { room, peer: { ...peer, online: online.has(peer.id) } };
    const read = { unread: state?.unread ?? 0, peerReadSeq: state?.peerReadSeq ?? 0 };
    return { ...opened, messages: page.messages, hasMore: page.hasMore, ...read };
  }

  async send(
    userId: string,
    input: { room: string; text: string; ttl?: number | undefined; clientMsgId: string },
  ) {
    const peerId = await this.#member(input.room, userId);
    if (codePointLength(input.text) > limits.messageMaxLength) {
      throw new AppError(
        'message_too_long',
        `Messages have at most ${limits.messageMaxLength} characters.`,
      );
    }
    const members = [userId, peerId] as const;
    return this.messages.append({
      room: input.room,
      members,
      from: userId,
      text: input.text,
      ttl: input.ttl ?? expiry.defaultTtlMs,
      clientMsgId: input.clientMsgId,
      now: this.now(),
    });
  }

  /** One page back from `before`, bounded by count and bytes; `hasMore` when older ones remain. */
  async history(userId: string, room: string, before: number | undefined, limit?: number) {
    await this.#member(room, userId);
    const count = limit ?? OPEN_PAGE;
    return this.#read(() =>
      this.messages.readBefore(room, before, count, this.now(), this.#pageBytes),
    );
  }

  /**
   * One page of what follows `after`, bounded by count and bytes. Never more: a client with more
   * to read gets `hasMore` and asks again from the last seq, so no reply outgrows a send buffer.
   */
  async resume(userId: string, room: string, after: number): Promise<MessagePage> {
    await this.#member(room, userId);
    return this.#read(() =>
      this.messages.readAfter(room, after, limits.historyPageMax, this.now(), this.#pageBytes),
    );
  }

  /** Relays a typing indicator to the peer, after checking membership (else `forbidden`); never stored. */
  async typing(userId: string, room: string, typing: boolean): Promise<void> {
    const peer = await this.#member(room, userId);
    const event = { type: 'typing', room, userId, typing };
    await this.bus.publish(userTopic(peer), JSON.stringify(event));
  }

  /**
   * Marks `room` read up to `seq` for the user (a member, else `forbidden`): never backwards, and
   * a seq beyond the room's latest is clamped to it (a client may not pre-read messages not yet
   * sent). When the read seq moved, the `read` event goes to both members' topics (the peer's
   * receipt; the reader's other connections). Returns the effective read seq.
   */
  async read(userId: string, room: string, seq: number): Promise<number> {
    const peer = await this.#member(room, userId);
    const mark = await this.messages.markRead(room, userId, seq);
    if (mark.moved) {
      const event = JSON.stringify({ type: 'read', room, userId, seq: mark.seq });
      await Promise.all([userId, peer].map((member) => this.bus.publish(userTopic(member), event)));
    }
    return mark.seq;
  }

  /**
   * The user's chats, newest first, each with a preview of its last message (text cut to
   * `limits.chatPreviewMaxLength`), as many as fit in a reply; `hasMore` when some were left out.
   */
  async chats(userId: string) {
    return this.#read(async () => {
      const lasts = await this.messages.listChats(userId, CHATS_MAX + 1, this.now());
      const peerIds = lasts.map((m) => peerIn(m.room, userId) ?? '');
      const online = await this.presence.onlineUsers(peerIds, this.now());
      const kept = lasts.slice(0, CHATS_MAX);
      const rooms = kept.map((last, i) => ({ room: last.room, peer: peerIds[i] ?? '' }));
      const [states, found] = await Promise.all([
        this.messages.readStates(userId, rooms, this.now()),
        Promise.all(kept.map((_last, i) => this.directory.byId(peerIds[i] ?? ''))),
      ]);
      const entries = kept.flatMap((last, i) => {
        const peer = found[i];
        if (!peer) return [];
        const entry = { room: last.room, peer: { ...peer, online: online.has(peer.id) } };
        const read = { unread: states[i]?.unread ?? 0, peerReadSeq: states[i]?.peerReadSeq ?? 0 };
        return [{ ...entry, last: preview(last), ...read }];
      });
      const fitted = fitInBytes(entries, this.replyMaxBytes - ENVELOPE_BYTES);
      return { chats: fitted.items, hasMore: fitted.cut || lasts.length > CHATS_MAX };
    });
  }

  /** A read that reserves a whole reply's bytes in the node's budget while it runs. */
  #read<T>(read: () => Promise<T>): Promise<T> {
    return this.#budget.run(this.replyMaxBytes, read);
  }

  async #member(room: string, userId: string): Promise<string> {
    const peerId = peerIn(room, userId);
    // A room the user is not in, or whose other member does not exist, is not theirs.
    if (!peerId || peerId === userId || !(await this.directory.byId(peerId))) {
      throw new AppError('forbidden', 'You are not a member of this room.');
    }
    return peerId;
  }
}
